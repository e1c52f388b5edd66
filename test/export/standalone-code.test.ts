import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun, type ExportResult } from '../../main/export/export-run';
import { tempHome } from '../support/cli';
import { csvRows, HAS_NUMPY, NO_NUMPY, nnlabPredict, NUMPY_PYTHON, python, readModelJson, relativeDelta, RUN_KINDS, storeOf, trainAll, trainRun, type RunKind, type TrainedRun } from './fixtures';

const home = tempHome();
afterAll(home.cleanup);
let runs: Record<RunKind, TrainedRun>;
const require = createRequire(import.meta.url);

beforeAll(async () => {
  runs = await trainAll(home.dir);
});

interface StandaloneModel {
  target: { kind: 'classes'; classes: string[] } | { kind: 'value' };
  layers: { activation: string; shape: [number, number]; weights: number[]; bias: number[] | null }[];
}

interface JsModule {
  MODEL: StandaloneModel;
  GOLDEN: { row: Record<string, unknown>; prediction: string | number; probabilities: number[] | null }[];
  encode(row: Record<string, unknown>): number[] | null;
  forward(x: number[]): number[];
  predict(row: Record<string, unknown>): { prediction: string | number | null; probabilities: number[] | null };
}

const exports = new Map<string, Promise<ExportResult>>();

/** Writes one export of a run (made once per run and format) into its own folder and returns the path. */
async function exported(kind: RunKind, format: 'js' | 'py', name: string): Promise<{ path: string; code: string }> {
  const key = `${kind}.${format}`;
  if (!exports.has(key)) exports.set(key, exportRun(storeOf(home.dir), runs[kind].id, format));
  const result = await exports.get(key)!;
  expect(result.verification.verified).toBe(true);
  const dir = join(home.dir, `${kind}-${name}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, format === 'js' ? 'model.js' : 'model.py');
  const code = Buffer.from(result.files[0]!.bytes).toString('utf8');
  writeFileSync(path, code);
  return { path, code };
}

/**
 * Changes one weight of the output layer so that golden row 0 must come out differently: the weight from
 * the hidden unit most active on that row to the output that row's prediction rests on, by 1000 times.
 */
function tamperedModel(model: StandaloneModel, module: JsModule): StandaloneModel {
  const copy = structuredClone(model);
  const last = module.MODEL.layers.pop()!;
  const hidden = module.forward(module.encode(module.GOLDEN[0]!.row)!);
  module.MODEL.layers.push(last);
  const out = module.forward(module.encode(module.GOLDEN[0]!.row)!);
  const i = hidden.reduce((best, a, j) => (Math.abs(a) > Math.abs(hidden[best]!) ? j : best), 0);
  const units = last.shape[1];
  // The output to push down: the winning class (or, with one sigmoid output, towards the other class).
  const j = units === 1 ? 0 : out.indexOf(Math.max(...out));
  const direction = units === 1 && model.target.kind === 'classes' && out[0]! < 0.5 ? 1 : -1;
  expect(Math.abs(hidden[i]!)).toBeGreaterThan(0.01);
  copy.layers[copy.layers.length - 1]!.weights[i * units + j]! += direction * Math.sign(hidden[i]!) * 1000;
  return copy;
}

describe.each(RUN_KINDS)('the JavaScript module of the %s run', (kind) => {
  it('passes its own self-test with `node model.js`', async () => {
    const { path } = await exported(kind, 'js', 'js');
    const result = spawnSync(process.execPath, [path], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ok: \d+ golden vectors/);
  });

  it('fails its self-test with MISMATCH when one weight is changed', async () => {
    const { path, code } = await exported(kind, 'js', 'js-tampered');
    const module = require(path) as JsModule;
    const line = code.split('\n').find((l) => l.startsWith('const MODEL = '))!;
    const model = JSON.parse(line.slice('const MODEL = '.length, -1)) as StandaloneModel;
    const tampered = code.replace(line, `const MODEL = ${JSON.stringify(tamperedModel(model, module))};`);
    expect(tampered).not.toBe(code);
    writeFileSync(path, tampered);
    const result = spawnSync(process.execPath, [path], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/^MISMATCH: /);
  });

  it('predicts every CSV row, given as the text of its cells, as `nnlab predict` does', async () => {
    const run = runs[kind];
    const { path } = await exported(kind, 'js', 'js-require');
    const module = require(path) as JsModule;
    const target = readModelJson(run.model).preprocessing.target;
    const classes = target.kind === 'classes' ? target.classes : null;
    const expected = await nnlabPredict(run.model, run.csv, classes);
    const rows = csvRows(run.csv);
    expect(expected).toHaveLength(rows.length);
    let worst = 0;
    rows.forEach((row, r) => {
      const got = module.predict(row);
      const e = expected[r]!;
      if (e.prediction === '') {
        expect(got).toEqual({ prediction: null, probabilities: null });
        return;
      }
      if (classes) {
        expect(got.prediction).toBe(e.prediction);
        expect(got.probabilities).toHaveLength(classes.length);
        got.probabilities!.forEach((p, j) => { worst = Math.max(worst, Math.abs(p - e.probabilities![j]!)); });
      } else {
        expect(got.probabilities).toBeNull();
        worst = Math.max(worst, relativeDelta(Number(e.prediction), got.prediction as number));
      }
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
    if (kind === 'no-bias') expect(expected.some((e) => e.prediction === '')).toBe(true);
  });
});

// Skipped without NumPy: the generated Python module imports it.
describe.skipIf(!HAS_NUMPY).each(RUN_KINDS)(`the Python module of the %s run${NO_NUMPY}`, (kind) => {
  it('passes its own self-test with `python3 model.py`', async () => {
    const { path } = await exported(kind, 'py', 'py');
    const result = spawnSync(NUMPY_PYTHON!, [path], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ok: \d+ golden vectors/);
  });

  it('fails its self-test with MISMATCH when one weight is changed', async () => {
    const { path: jsPath } = await exported(kind, 'js', 'py-tamper-helper');
    const { path, code } = await exported(kind, 'py', 'py-tampered');
    const line = code.split('\n').find((l) => l.startsWith('MODEL = json.loads('))!;
    const model = JSON.parse(JSON.parse(line.slice('MODEL = json.loads('.length, -1)) as string) as StandaloneModel;
    const tampered = code.replace(line, `MODEL = json.loads(${JSON.stringify(JSON.stringify(tamperedModel(model, require(jsPath) as JsModule)))})`);
    expect(tampered).not.toBe(code);
    writeFileSync(path, tampered);
    const result = spawnSync(NUMPY_PYTHON!, [path], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/^MISMATCH: /);
  });

  it('predicts every CSV row, given as the text of its cells, as `nnlab predict` does', async () => {
    const run = runs[kind];
    const { path } = await exported(kind, 'py', 'py-import');
    const target = readModelJson(run.model).preprocessing.target;
    const classes = target.kind === 'classes' ? target.classes : null;
    const expected = await nnlabPredict(run.model, run.csv, classes);
    const rows = csvRows(run.csv);
    const got = python<[string | number | null, number[] | null][]>(
      'import json, sys\nsys.path.insert(0, ".")\nimport model\nprint(json.dumps(model.predict(json.load(sys.stdin))))',
      rows, join(path, '..'),
    );
    expect(got).toHaveLength(rows.length);
    let worst = 0;
    got.forEach(([prediction, probabilities], r) => {
      const e = expected[r]!;
      if (e.prediction === '') {
        expect([prediction, probabilities]).toEqual([null, null]);
        return;
      }
      if (classes) {
        expect(prediction).toBe(e.prediction);
        expect(probabilities).toHaveLength(classes.length);
        probabilities!.forEach((p, j) => { worst = Math.max(worst, Math.abs(p - e.probabilities![j]!)); });
      } else {
        expect(probabilities).toBeNull();
        worst = Math.max(worst, relativeDelta(Number(e.prediction), prediction as number));
      }
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});

it('the generated JavaScript module has no dependencies', async () => {
  const { code } = await exported('iris', 'js', 'js-deps');
  expect(code).not.toMatch(/require\(|\bimport\b/);
});

describe('run names that are awkward in source code', () => {
  const names = ['C:\\New\\x model "quoted" """', 'two\nlines\u2028and more'];

  it.each(names)('the JavaScript module of a run named %j runs and keeps the name in its first comment', async (name) => {
    const run = await trainRun(home.dir, 'xor', ['--name', name]);
    const result = await exportRun(storeOf(home.dir), run.id, 'js');
    expect(result.verification.message).toMatch(/^verified: /);
    const code = Buffer.from(result.files[0]!.bytes).toString('utf8');
    expect(code.split('\n')[1]).toBe(`// ${name.replace(/[\n\u2028]/g, ' ')}: a multilayer perceptron trained with nnlab ${code.split('\n')[1]!.split('nnlab ').pop()}`);
  });

  // Skipped without NumPy: the Python module and the PyTorch script's dry run import it.
  it.skipIf(!HAS_NUMPY).each(names)(`the Python module and PyTorch script of a run named %j run, with the name intact in their docstrings${NO_NUMPY}`, async (name) => {
    const run = await trainRun(home.dir, 'xor', ['--name', name]);
    const py = await exportRun(storeOf(home.dir), run.id, 'py');
    expect(py.verification.message).toMatch(/^verified: /);
    const torch = await exportRun(storeOf(home.dir), run.id, 'torch');
    expect(torch.verification.message).toMatch(/^verified: /);
    const dir = join(home.dir, `names-${run.id}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.py'), py.files[0]!.bytes);
    writeFileSync(join(dir, 'train.py'), torch.files[0]!.bytes);
    const docs = python<string[]>('import json, sys\nsys.path.insert(0, ".")\nimport model, train\nprint(json.dumps([model.__doc__, train.__doc__]))', null, dir);
    const shown = name.replace(/"/g, "'");
    expect(docs[0]!.startsWith(`${shown}: a multilayer perceptron`)).toBe(true);
    expect(docs[1]!.startsWith(`Retrain nnlab run ${run.id} ("${shown}") with PyTorch.`)).toBe(true);
  });
});
