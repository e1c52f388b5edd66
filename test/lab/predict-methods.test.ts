import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelToOnnx } from '../../main/export/onnx-export';
import type { LabEvent, ModelHandle, ModelPredictions } from '../../common/lab-api';
import { LabBackend, PREDICTION_DISPLAY_ROWS } from '../../main/lab/lab-backend';
import { loadModel } from '../../main/model-file';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';
import { launcher } from './session-helpers';
import { sessionArgs } from '../support/settings';

/**
 * Predicting new rows in the lab (the app's Predict view): models from a run, a JSON file or an ONNX file, by
 * path or upload; the same predictions as `nnlab predict`, what the file lacks or has extra, arguments checked.
 */
const home = tempHome();
const lab = new LabBackend(home.dir, launcher);
afterAll(() => {
  lab.shutdown();
  home.cleanup();
});

let run = '';
let runName = '';
let modelJson = '';
let modelOnnx = '';
let penguinsModel = '';

/** Iris rows without the species, columns in another order, and a column the model does not use. */
const NEW_FLOWERS = 'petal_width,sepal_length,note,sepal_width,petal_length\n0.2,5.1,first,3.5,1.4\n2.3,6.9,second,3.1,5.4\n1.3,5.7,third,2.8,4.1\n';

function done(id: string): Promise<Extract<LabEvent, { type: 'done' }>> {
  return new Promise((resolve) => {
    const off = lab.subscribe((event) => {
      if (event.type === 'done' && event.run === id) {
        off();
        resolve(event);
      }
    });
  });
}

function write(name: string, text: string): string {
  const path = join(home.dir, name);
  writeFileSync(path, text);
  return path;
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const csvOf = (result: ModelPredictions) => Buffer.from(result.csvBase64, 'base64').toString('utf8');

/** What `nnlab predict model file --out` writes. */
async function cliPredict(model: string, file: string): Promise<string> {
  const out = join(home.dir, `cli-${Math.random().toString(36).slice(2)}.csv`);
  const result = await runCli(['predict', model, file, '--out', out]);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  return readFileSync(out, 'utf8');
}

beforeAll(async () => {
  // A run trained in the lab, as the app trains one.
  const iris = await lab.openExample('iris');
  const info = await lab.createSession(iris.id, ...sessionArgs({
    missingPolicy: 'drop', standardize: true, layers: [8], activation: 'relu', loss: 'auto', init: 'auto', bias: true,
    optimizer: 'adam', momentum: 0.9, learningRate: 0.02, schedule: 'constant', epochs: 60, batch: 16, l2: 0, seed: 4, val: 0.2, test: 0, earlyStop: null,
  }));
  run = info.run;
  runName = info.name;
  const ended = done(run);
  await lab.start(run);
  expect((await ended).status).toBe('finished');
  await new Promise((resolve) => setTimeout(resolve, 300));
  modelJson = lab.store.modelPath(run);
  modelOnnx = join(home.dir, 'iris.onnx');
  writeFileSync(modelOnnx, modelToOnnx(await loadModel(modelJson)));
  // Penguins: text categories and missing values, from the command line into the same lab folder.
  const penguins = await runCli(['train', dataset('penguins.csv'), '--target', 'Species', '--epochs', '20', '--home', home.dir, '--json']);
  expect(penguins.code, penguins.stderr.join('\n')).toBe(0);
  penguinsModel = lastJson<{ model: string }>(penguins).model;
});

describe('opening a model', () => {
  it('opens a run’s model and says what it reads and predicts', async () => {
    const handle = await lab.call('openRunModel', [run]) as ModelHandle;
    expect(handle).toMatchObject({
      name: runName, kind: 'json', run, target: 'species', task: 'multiclass',
      inputs: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], classes: ['setosa', 'versicolor', 'virginica'],
    });
    expect(handle.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('opens model files by path and by upload, JSON and ONNX alike', async () => {
    const byPath = await lab.call('openModelPath', [modelJson]) as ModelHandle;
    expect(byPath).toMatchObject({ name: 'model.json', kind: 'json', target: 'species' });
    expect(byPath.run).toBeUndefined();
    const onnx = await lab.call('openModelPath', [modelOnnx]) as ModelHandle;
    expect(onnx).toMatchObject({ name: 'iris.onnx', kind: 'onnx', task: 'multiclass', inputs: byPath.inputs, classes: byPath.classes });
    const uploaded = await lab.call('uploadModel', ['../../flowers.nnlab.json', new Uint8Array(readFileSync(modelJson))]) as ModelHandle;
    expect(uploaded).toMatchObject({ name: 'flowers.nnlab.json', kind: 'json' });
    // An ONNX file is known by its content too, whatever its name.
    const sniffed = await lab.uploadModel('model.bin', new Uint8Array(readFileSync(modelOnnx)));
    expect(sniffed.kind).toBe('onnx');
    const penguins = await lab.openModelPath(penguinsModel);
    expect(penguins).toMatchObject({ target: 'Species', task: 'multiclass', inputs: ['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'] });
  });

  it('refuses what is not a model, or not there, in plain words', async () => {
    await expect(lab.uploadModel('iris.csv', new Uint8Array(readFileSync(dataset('iris.csv'))))).rejects.toThrow(/^iris\.csv is not an nnlab model file \(JSON\) nor an ONNX model\.$/);
    await expect(lab.uploadModel('broken.json', bytes('{"format": "nnlab-model", '))).rejects.toThrow(/broken\.json is not an nnlab model file: it is not valid JSON/);
    await expect(lab.uploadModel('other.json', bytes('{"format": "something-else", "version": 1}'))).rejects.toThrow(/other\.json is not an nnlab model file/);
    await expect(lab.openModelPath('relative/model.json')).rejects.toThrow('A model path must be absolute.');
    await expect(lab.openModelPath(join(home.dir, 'missing.json'))).rejects.toThrow(/is not a file/);
    // A run that has not trained yet has no model.
    const iris = await lab.openExample('iris');
    const idle = await lab.createSession(iris.id, ...sessionArgs({
      missingPolicy: 'drop', standardize: true, layers: [4], activation: 'relu', loss: 'auto', init: 'auto', bias: true,
      optimizer: 'adam', momentum: 0.9, learningRate: 0.01, schedule: 'constant', epochs: 1, batch: 16, l2: 0, seed: 1, val: 0.2, test: 0, earlyStop: null,
    }));
    await expect(lab.openRunModel(idle.run)).rejects.toThrow(/has no saved model yet/);
    await lab.stop(idle.run);
    await expect(lab.predictWithModel('0123456789abcdef', iris.id)).rejects.toThrow('That model is no longer open; open it again.');
  });
});

describe('predicting a CSV file', () => {
  it('predicts rows without the target column as `nnlab predict` does, reporting the column it does not use', async () => {
    const model = await lab.openRunModel(run);
    const file = write('new-flowers.csv', NEW_FLOWERS);
    const data = await lab.uploadDataset('new-flowers.csv', bytes(NEW_FLOWERS));
    const result = await lab.call('predictWithModel', [model.id, data.id]) as ModelPredictions;
    expect(result.columns).toEqual(['petal_width', 'sepal_length', 'note', 'sepal_width', 'petal_length', 'prediction', 'prob_setosa', 'prob_versicolor', 'prob_virginica']);
    expect(result).toMatchObject({ model: model.id, dataset: data.id, total: 3, predicted: 3, unexpectedColumns: ['note'], hasTarget: false, warnings: [], fileName: 'new-flowers-predictions.csv' });
    expect(result.rows.map((r) => r.slice(0, 6))).toEqual([
      ['0.2', '5.1', 'first', '3.5', '1.4', 'setosa'],
      ['2.3', '6.9', 'second', '3.1', '5.4', 'virginica'],
      ['1.3', '5.7', 'third', '2.8', '4.1', 'versicolor'],
    ]);
    for (const row of result.rows) expect(row.slice(6).map(Number).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // The download is byte for byte the file the command line writes, from the model file or the run.
    const cli = await cliPredict(modelJson, file);
    expect(csvOf(result)).toBe(cli);
    const byPath = await lab.predictWithModel((await lab.openModelPath(modelJson)).id, data.id);
    expect(csvOf(byPath)).toBe(cli);
  });

  it('predicts with the ONNX model as `nnlab predict model.onnx` does, and as the JSON model within float32', async () => {
    const data = await lab.uploadDataset('iris.csv', new Uint8Array(readFileSync(dataset('iris.csv'))));
    const onnx = await lab.predictWithModel((await lab.openModelPath(modelOnnx)).id, data.id);
    const uploaded = await lab.predictWithModel((await lab.uploadModel('iris.onnx', new Uint8Array(readFileSync(modelOnnx)))).id, data.id);
    const json = await lab.predictWithModel((await lab.openRunModel(run)).id, data.id);
    expect(onnx.total).toBe(150);
    expect(onnx.unexpectedColumns).toEqual([]);
    expect(onnx.hasTarget).toBe(true);
    expect(csvOf(onnx)).toBe(await cliPredict(modelOnnx, dataset('iris.csv')));
    expect(csvOf(uploaded)).toBe(csvOf(onnx));
    expect(onnx.columns).toEqual(json.columns);
    const column = onnx.columns.indexOf('prediction');
    for (const [i, row] of onnx.rows.entries()) {
      const other = json.rows[i]!;
      expect(row.slice(0, column + 1)).toEqual(other.slice(0, column + 1));
      for (let c = column + 1; c < row.length; c++) expect(Math.abs(Number(row[c]) - Number(other[c]))).toBeLessThan(1e-5);
    }
    const right = json.rows.filter((r) => r[column] === r[4]).length;
    expect(right / 150).toBeGreaterThan(0.85);
  });

  it('judges a file that holds the truth, as `nnlab predict --json` does, and says what it left out', async () => {
    const lines = readFileSync(dataset('iris.csv'), 'utf8').trim().split('\n');
    lines[1] = lines[1]!.replace(/setosa$/, 'NA');
    lines[2] = lines[2]!.replace(/setosa$/, 'iris-nova');
    const text = `${lines.join('\n')}\n`;
    const data = await lab.uploadDataset('iris-edited.csv', bytes(text));
    const json = await lab.predictWithModel((await lab.openRunModel(run)).id, data.id);
    const onnx = await lab.predictWithModel((await lab.openModelPath(modelOnnx)).id, data.id);
    const truth = json.truth!;
    expect(truth.rows).toBe(148);
    expect(truth.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(truth.metrics.perClass!.map((m) => m.support)).toEqual([48, 50, 50]);
    const column = json.columns.indexOf('prediction');
    const judged = json.rows.filter((r) => ['setosa', 'versicolor', 'virginica'].includes(r[4]!));
    expect(truth.metrics.accuracy).toBeCloseTo(judged.filter((r) => r[column] === r[4]).length / 148, 12);
    expect(truth.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(148);
    expect(json.warnings).toContain('1 row without a value in "species" was left out of the metrics.');
    expect(json.warnings.some((w) => w.startsWith('1 row of "species" holds a class the model never saw: "iris-nova" (1)'))).toBe(true);
    expect(onnx.truth!.confusion).toEqual(truth.confusion);
    // The command line reports the same numbers.
    const file = write('iris-edited.csv', text);
    const out = join(home.dir, 'edited-predictions.csv');
    const cli = lastJson<{ metrics: { accuracy: number; macro_avg: unknown } }>(await runCli(['predict', modelJson, file, '--out', out, '--json']));
    expect(cli.metrics.accuracy).toBe(truth.metrics.accuracy);
    expect(cli.metrics.macro_avg).toEqual(truth.metrics.macroAvg);
    const none = await lab.predictWithModel((await lab.openRunModel(run)).id, (await lab.uploadDataset('new.csv', bytes(NEW_FLOWERS))).id);
    expect(none.truth).toBeNull();
  });

  it('refuses a file that lacks columns the model needs, naming them (and the ones it has instead)', async () => {
    const model = await lab.openRunModel(run);
    const data = await lab.uploadDataset('partial.csv', bytes('sepal_length,sepal_width,petal_len\n5.1,3.5,1.4\n'));
    await expect(lab.call('predictWithModel', [model.id, data.id])).rejects.toThrow(
      'partial.csv lacks columns the model needs: "petal_length", "petal_width". It has a column the model does not use: "petal_len".',
    );
    const onnx = await lab.openModelPath(modelOnnx);
    await expect(lab.predictWithModel(onnx.id, data.id)).rejects.toThrow(/^partial\.csv lacks columns the model needs: "petal_length", "petal_width"\./);
    // The command line refuses it with the same words.
    const cli = await runCli(['predict', modelJson, write('partial.csv', 'sepal_length,sepal_width,petal_len\n5.1,3.5,1.4\n')]);
    expect(cli.code).toBe(1);
    expect(cli.stderr.join('\n')).toContain('partial.csv lacks columns the model needs: "petal_length", "petal_width".');
  });

  it('matches columns as the model reads them (ignoring case), and shows at most 1,000 rows while the download holds all', async () => {
    const model = await lab.openRunModel(run);
    const lines = ['Sepal_Length,SEPAL_WIDTH,petal_length,petal_width'];
    for (let i = 0; i < 1500; i++) lines.push(`${(4.5 + (i % 30) / 10).toFixed(1)},3.0,${(1 + (i % 50) / 10).toFixed(1)},${(0.1 + (i % 25) / 10).toFixed(1)}`);
    const text = `${lines.join('\n')}\n`;
    const data = await lab.uploadDataset('many.csv', bytes(text));
    const result = await lab.predictWithModel(model.id, data.id);
    expect(PREDICTION_DISPLAY_ROWS).toBe(1000);
    expect(result.unexpectedColumns).toEqual([]);
    expect(result.total).toBe(1500);
    expect(result.predicted).toBe(1500);
    expect(result.rows).toHaveLength(1000);
    const all = parse(csvOf(result)) as string[][];
    expect(all).toHaveLength(1501);
    expect(all.slice(1, 1001)).toEqual(result.rows);
    expect(csvOf(result)).toBe(await cliPredict(modelJson, write('many.csv', text)));
  });

  it('says which rows got no prediction and which categories the model never saw', async () => {
    const model = await lab.openModelPath(penguinsModel);
    const [header, ...rows] = readFileSync(dataset('penguins.csv'), 'utf8').trim().split('\n');
    const columns = header!.split(',');
    const island = columns.indexOf('Island');
    const bill = columns.indexOf('Beak Length (mm)');
    const complete = rows.map((r) => r.split(',')).filter((cells) => cells.every((c) => c !== '' && c !== 'NA')).slice(0, 4);
    complete[0]![island] = 'Atlantis';
    complete[1]![bill] = '';
    const text = `${header}\n${complete.map((c) => c.join(',')).join('\n')}\n`;
    const data = await lab.uploadDataset('odd-penguins.csv', bytes(text));
    const result = await lab.predictWithModel(model.id, data.id);
    expect(result.total).toBe(4);
    expect(result.predicted).toBe(3);
    expect(result.rows[1]![result.columns.indexOf('prediction')]).toBe('');
    expect(result.warnings).toEqual(expect.arrayContaining([
      '1 row with missing feature values got no prediction.',
      expect.stringMatching(/^Column "Island" has categories not seen in training: "Atlantis" \(1\)/),
    ]));
    expect(csvOf(result)).toBe(await cliPredict(penguinsModel, write('odd-penguins.csv', text)));
  });
});

describe('arguments', () => {
  it.each([
    ['openModelPath', []],
    ['openModelPath', ['']],
    ['openModelPath', [42]],
    ['openModelPath', ['/a/model.json', 'extra']],
    ['uploadModel', ['model.json', 'not bytes']],
    ['uploadModel', ['', new Uint8Array(1)]],
    ['uploadModel', ['x'.repeat(256), new Uint8Array(1)]],
    ['uploadModel', ['model.json', [1, 2, 3]]],
    ['openRunModel', [7]],
    ['openRunModel', ['']],
    ['predictWithModel', ['model']],
    ['predictWithModel', ['model', 12]],
    ['predictWithModel', ['model', 'data', 'extra']],
    ['predictWithModel', [{ id: 'model' }, 'data']],
  ])('refuses %s with %j before anything runs', async (method, args) => {
    await expect(lab.call(method, args)).rejects.toThrow(new RegExp(`^Invalid arguments for ${method}: `));
  });
});
