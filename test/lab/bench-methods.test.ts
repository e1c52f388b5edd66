import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabBackend } from '../../main/lab/lab-backend';
import { examplesDir } from '../../main/lab/examples';
import { tempHome, writePrices } from '../support/cli';
import { launcher, runDone } from './session-helpers';
import { sessionArgs } from '../support/settings';

/** The lab methods the bench (the renderer) relies on beyond training: generated examples, evaluation, weights, export. */
const home = tempHome();
const lab = new LabBackend(home.dir, launcher);
afterAll(() => {
  lab.shutdown();
  home.cleanup();
});

const done = (run: string) => runDone(lab, run);

describe('what the bench asks of the lab', () => {
  it('lists the 2-D sets with their noise, and opens one at a chosen noise level', async () => {
    const examples = await lab.exampleDatasets();
    expect(examples.filter((e) => e.noise !== undefined).map((e) => e.id)).toEqual(['spiral', 'circles', 'xor-clusters', 'blobs']);
    const handle = await lab.call('openExample', ['circles', 0.3]) as Awaited<ReturnType<LabBackend['openExample']>>;
    expect(handle.rows).toBe(400);
    expect(handle.summary.columns.map((c) => c.name)).toEqual(['x1', 'x2', 'label']);
    expect(handle.summary.task?.kind).toBe('binary');
    expect(handle.name).toBe('Circles (noise 0.3)');
    expect(existsSync(join(home.dir, 'datasets', 'examples', 'circles-noise-0.30.csv'))).toBe(true);
    await expect(lab.call('openExample', ['circles', 2])).rejects.toThrow(/Invalid arguments for openExample/);
    await expect(lab.openExample('nothing')).rejects.toThrow('There is no example dataset "nothing".');
  });

  it('opens a shipped example from its copy in the lab folder, which runs record and which is never overwritten', async () => {
    // A lab folder of its own: the copy is changed below.
    const own = tempHome();
    const lab = new LabBackend(own.dir, launcher);
    try {
    const shipped = readFileSync(join(examplesDir(), 'iris.csv'));
    const copy = join(own.dir, 'datasets', 'examples', 'iris.csv');
    const iris = await lab.openExample('iris');
    expect(iris.rows).toBe(150);
    expect(readFileSync(copy)).toEqual(shipped);
    const info = await lab.createSession(iris.id, ...sessionArgs({ layers: [3], epochs: 1 }));
    const ended = runDone(lab, info.run);
    await lab.start(info.run);
    await ended;
    const record = JSON.parse(readFileSync(join(own.dir, 'runs', info.run, 'run.json'), 'utf8')) as { dataset: { path: string } };
    expect(record.dataset.path).toBe(copy);
    // A copy already there is what runs made from it hashed: it stays as it is.
    writeFileSync(copy, `${shipped.toString('utf8').trim()}\n5.0,3.3,1.4,0.2,setosa\n`);
    expect((await lab.openExample('iris')).rows).toBe(151);
    } finally {
      lab.shutdown();
      own.cleanup();
    }
  });

  it('opens one generated example from many windows at once, each reading the whole file', async () => {
    const shared = tempHome();
    try {
      const windows = [new LabBackend(shared.dir, launcher), new LabBackend(shared.dir, launcher)];
      const opened = await Promise.allSettled(Array.from({ length: 24 }, (_, i) => windows[i % 2]!.openExample('spiral', 0.37)));
      expect(opened.filter((o) => o.status === 'rejected')).toEqual([]);
      expect(new Set(opened.map((o) => (o.status === 'fulfilled' ? o.value.rows : -1)))).toEqual(new Set([400]));
    } finally {
      shared.cleanup();
    }
  });

  it('gives any window the bench of a run: its dataset opened again under the example’s name, its roles and settings', async () => {
    const iris = await lab.openExample('iris');
    const [roles, settings] = sessionArgs({ target: 'species', ignore: ['sepal_width'], optimizer: 'sgd', learningRate: 1, epochs: 2_000_000, seed: 9, kernels: 'js' });
    const info = await lab.createSession(iris.id, roles, settings);
    await lab.stop(info.run);
    // A second window's lab: the run's dataset is not open there until the bench of the run is asked for.
    const other = new LabBackend(home.dir, launcher);
    const bench = await other.runBench(info.run);
    expect(bench.dataset.name).toBe('Iris');
    expect(bench.dataset.rows).toBe(150);
    expect(bench.dataset.summary.target).toBe('species');
    expect(bench.roles).toEqual(roles);
    const { name, ...rest } = bench.settings;
    expect(name).toBe((await lab.getRun(info.run)).run.name);
    expect(rest).toEqual({ ...settings, kernels: 'js' });
    expect((await other.inspectDataset(bench.dataset.id, roles)).rows).toBe(150);
    // The name nnlab made up says the original's settings: the copy gets its own when it starts.
    expect((await other.duplicateRun(info.run)).settings.name).toBeUndefined();
    await expect(other.runBench('nothing-here')).rejects.toThrow();
  });

  it('trains one activation per hidden layer, then evaluates, shows and exports the saved model', async () => {
    const data = await lab.openExample('blobs', 0.1);
    const info = await lab.createSession(data.id, ...sessionArgs({
      missingPolicy: 'drop', standardize: true, layers: [6, 4], activation: 'tanh', activations: ['tanh', 'sigmoid'], loss: 'auto', init: 'auto',
      bias: true, optimizer: 'adam', momentum: 0.9, learningRate: 0.05, schedule: 'constant', epochs: 5, batch: 16, l2: 0, seed: 3, val: 0.2, test: 0.25, earlyStop: null,
    }));
    await expect(lab.evaluateRun(info.run)).rejects.toThrow(/has no saved model yet/);
    const live = await lab.snapshot(info.run);
    expect(live.map((l) => [l.inputs, l.units, l.activation])).toEqual([[2, 6, 'tanh'], [6, 4, 'sigmoid'], [4, 3, 'softmax']]);
    const ended = done(info.run);
    await lab.start(info.run);
    expect((await ended).status).toBe('finished');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const saved = await lab.snapshot(info.run);
    expect(saved.map((l) => [l.inputs, l.units, l.activation])).toEqual([[2, 6, 'tanh'], [6, 4, 'sigmoid'], [4, 3, 'softmax']]);
    expect(saved[0]!.weights.length).toBe(12);

    const evaluation = await lab.evaluateRun(info.run);
    expect(evaluation.split).toBe('test');
    expect(evaluation.total).toBe(100);
    expect(evaluation.classes).toEqual(['blue', 'green', 'red']);
    expect(evaluation.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(100);
    const right = evaluation.confusion!.reduce((sum, row, i) => sum + row[i]!, 0);
    expect(evaluation.metrics.accuracy).toBeCloseTo(right / 100, 10);
    // The per-class report follows from the confusion matrix, and is the one the run's summary keeps.
    const report = evaluation.metrics.perClass!;
    expect(report.map((m) => m.class)).toEqual(['blue', 'green', 'red']);
    report.forEach((m, c) => {
      const predictedAs = evaluation.confusion!.reduce((sum, row) => sum + row[c]!, 0);
      expect(m.support).toBe(evaluation.confusion![c]!.reduce((a, b) => a + b, 0));
      expect(m.precision).toBeCloseTo(predictedAs > 0 ? evaluation.confusion![c]![c]! / predictedAs : 0, 12);
      expect(m.recall).toBeCloseTo(evaluation.confusion![c]![c]! / m.support, 12);
    });
    expect(evaluation.metrics.balancedAccuracy).toBeCloseTo(report.reduce((s, m) => s + m.recall, 0) / 3, 12);
    const summary = (await lab.getRun(info.run)).run.summary.test!;
    expect(summary.perClass).toEqual(report);
    expect(summary.macroAvg).toEqual(evaluation.metrics.macroAvg);
    expect(summary.weightedAvg).toEqual(evaluation.metrics.weightedAvg);
    expect(evaluation.features).toEqual(['x1', 'x2']);
    // The cells as the file has them, not values decoded back from the scaled inputs.
    expect(evaluation.rows[0]!.features.every((v) => typeof v === 'string' && Number.isFinite(Number(v)))).toBe(true);
    expect(evaluation.rows[0]!.probabilities).toHaveLength(3);
    // The baselines come along, on the same rows: the network's test accuracy is the one evaluated here.
    const { run: stored } = await lab.getRun(info.run);
    expect(evaluation.baselines).toEqual(stored.summary.baselines);
    expect(evaluation.baselines!.constant.name).toBe('majority');
    expect(stored.summary.test!.accuracy).toBeCloseTo(evaluation.metrics.accuracy!, 10);

    expect((await lab.exportFormats()).map((f) => f.id)).toEqual(['json', 'onnx', 'npz', 'js', 'py', 'torch', 'metrics']);
    const file = await lab.exportModel(info.run, 'json');
    expect(file.fileName).toMatch(/\.nnlab\.json$/);
    expect(file.verified).toBe(true);
    expect(file.message).toMatch(/^verified: max \|Δ\| = /);
    expect(JSON.parse(Buffer.from(file.base64, 'base64').toString('utf8'))).toMatchObject({ format: 'nnlab-model', inputs: ['x1', 'x2'] });
    const onnx = await lab.exportModel(info.run, 'onnx');
    expect(onnx.fileName).toMatch(/\.onnx$/);
    expect(onnx.verified).toBe(true);
    expect(onnx.maxDelta).toBeLessThanOrEqual(1e-5);
    await expect(lab.call('exportModel', [info.run, 'xlsx'])).rejects.toThrow(/Invalid arguments for exportModel/);
  });

  it('evaluates a regression with MAE in the target’s units beside RMSE and R², as the run’s summary keeps it', async () => {
    const data = await lab.uploadDataset('prices.csv', new Uint8Array(readFileSync(writePrices(home.dir))));
    const info = await lab.createSession(data.id, ...sessionArgs({ target: 'price', layers: [8], epochs: 40, seed: 2, val: 0.2, test: 0.2, earlyStop: null }));
    const ended = done(info.run);
    await lab.start(info.run);
    expect((await ended).status).toBe('finished');
    const evaluation = await lab.evaluateRun(info.run);
    expect(evaluation.split).toBe('test');
    expect(evaluation.rows).toHaveLength(evaluation.total);
    const errors = evaluation.rows.map((r) => Number(r.prediction) - Number(r.truth));
    expect(evaluation.metrics.mae).toBeCloseTo(errors.reduce((s, e) => s + Math.abs(e), 0) / errors.length, 3);
    expect(evaluation.metrics.rmse).toBeCloseTo(Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length), 3);
    expect(evaluation.metrics.perClass).toBeUndefined();
    expect((await lab.getRun(info.run)).run.summary.test!.mae).toBe(evaluation.metrics.mae);
  });

  it('evaluates on the training rows when a run held none out', async () => {
    const data = await lab.openExample('seed-xor');
    const info = await lab.createSession(data.id, ...sessionArgs({
      missingPolicy: 'drop', standardize: false, layers: [4], activation: 'sigmoid', loss: 'sse', init: 'uniform', bias: false,
      optimizer: 'sgd', momentum: 0, learningRate: 1, schedule: 'constant', epochs: 1500, batch: 'full', l2: 0, seed: 1, val: 0, test: 0, earlyStop: null,
    }));
    const ended = done(info.run);
    await lab.start(info.run);
    await ended;
    const evaluation = await lab.evaluateRun(info.run);
    expect(evaluation.split).toBe('training');
    expect(evaluation.rows.map((r) => [r.features, r.truth, r.truthCell, r.prediction])).toEqual([
      [['0', '0', '1'], '0', '0', '0'], [['0', '1', '1'], '1', '1', '1'], [['1', '0', '1'], '1', '1', '1'], [['1', '1', '1'], '0', '0', '0'],
    ]);
  });
});
