import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/run-record';
import { defaultSettings, trainSettingsSchema, TRAINING_DEFAULTS } from '../../common/settings';
import { classOfRow } from '../../engine/class-weights';
import { evaluateRun } from '../../main/lab/run-evaluation';
import { RunStore } from '../../main/store/run-store';
import { readRunData } from '../../main/training/run-data';
import { lastJson, runCli, tempHome, trainCsv, type TrainedCliRun } from '../support/cli';
import { RARE_WEATHER, writeWeatherCsv } from '../support/weather';

const home = tempHome();
afterAll(home.cleanup);
const trainFile = join(home.dir, 'weather.csv');
const testFile = join(home.dir, 'weather-later.csv');
let plain: TrainedCliRun;
let balanced: TrainedCliRun;

beforeAll(async () => {
  writeWeatherCsv(trainFile, 1500, 7);
  // Other days of the same weather: held out from training altogether.
  writeWeatherCsv(testFile, 1500, 8);
  plain = await trainCsv(home.dir, trainFile, ['--test-file', testFile]);
  balanced = await trainCsv(home.dir, trainFile, ['--test-file', testFile, '--class-weight', 'balanced']);
});

const record = (run: TrainedCliRun) => JSON.parse(readFileSync(join(run.runDir, 'run.json'), 'utf8')) as RunRecord;

/** For each class, how many of the held-out file's rows of it the run's model predicts as it, and how many there are. */
async function recall(run: TrainedCliRun): Promise<Record<string, { right: number; of: number }>> {
  const result = await runCli(['predict', run.model, testFile]);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  const [header, ...rows] = result.stdout.filter((l) => l !== '').map((l) => l.split(','));
  const truth = header!.indexOf('weather');
  const predicted = header!.indexOf('prediction');
  const counts: Record<string, { right: number; of: number }> = {};
  for (const row of rows) {
    const c = (counts[row[truth]!] ??= { right: 0, of: 0 });
    c.of++;
    if (row[predicted] === row[truth]) c.right++;
  }
  return counts;
}

describe('--class-weight balanced on a weather table whose drizzle and fog are rare', () => {
  it('without weights the rare kinds are almost never predicted; with balanced weights most of them are', async () => {
    const before = await recall(plain);
    const after = await recall(balanced);
    for (const kind of RARE_WEATHER) {
      expect(before[kind]!.of).toBe(45);
      // Measured with the defaults: 2 and 1 of 45 without weights, 14 and 23 with balanced weights.
      expect(before[kind]!.right).toBeLessThanOrEqual(6);
      expect(after[kind]!.right).toBeGreaterThanOrEqual(10);
    }
  });

  it('records the setting in the request and the weights, n / (k · n_c) of the training rows, in the run and the model file', async () => {
    const run = record(balanced);
    expect(run.request.settings.classWeight).toBe('balanced');
    const target = run.preprocessing.target;
    if (target.kind !== 'classes') throw new Error('expected classes');
    const counts = await trainingClassCounts(run);
    const n = run.dataset.splits.train;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    expect(run.training.classWeights).toHaveLength(target.classes.length);
    run.training.classWeights!.forEach((w, c) => expect(w).toBeCloseTo(n / (target.classes.length * counts[c]!), 12));
    const drizzle = target.classes.indexOf('drizzle');
    expect(run.training.classWeights![drizzle]).toBeGreaterThan(5);
    const model = JSON.parse(readFileSync(balanced.model, 'utf8')) as { training: { classWeights?: number[] } };
    expect(model.training.classWeights).toEqual(run.training.classWeights);

    const unweighted = record(plain);
    expect(unweighted.request.settings.classWeight).toBe('none');
    expect(unweighted.training.classWeights).toBeUndefined();
    expect((JSON.parse(readFileSync(plain.model, 'utf8')) as { training: object }).training).not.toHaveProperty('classWeights');
  });

  it('the app’s evaluation of the held-out rows weighs their loss as the run’s summary does', async () => {
    const evaluation = await evaluateRun(new RunStore(home.dir), balanced.id);
    expect(evaluation.split).toBe('test');
    expect(evaluation.metrics.loss).toBeCloseTo(record(balanced).summary.test!.loss!, 6);
    expect(evaluation.metrics.accuracy).toBe(record(balanced).summary.test!.accuracy);
  });

  it('runs show names each class with its weight', async () => {
    const shown = await runCli(['runs', 'show', balanced.id, '--home', home.dir]);
    expect(shown.code).toBe(0);
    const line = shown.stdout.find((l) => l.startsWith('class weights: '));
    const weights = record(balanced).training.classWeights!;
    const classes = (record(balanced).preprocessing.target as { classes: string[] }).classes;
    expect(line).toBe(`class weights: balanced · ${classes.map((c, i) => `${c} ${Number(weights[i]!.toPrecision(4))}`).join(', ')}`);
    const plainShown = await runCli(['runs', 'show', plain.id, '--home', home.dir]);
    expect(plainShown.stdout.some((l) => l.startsWith('class weights'))).toBe(false);
  });

  it('a weighted run resumed from its checkpoint ends exactly as one trained straight through', async () => {
    const args = ['--class-weight', 'balanced', '--early-stop', '0', '--seed', '3'];
    const straight = await trainCsv(home.dir, trainFile, [...args, '--epochs', '12']);
    const cut = await trainCsv(home.dir, trainFile, [...args, '--epochs', '5']);
    const resumed = await runCli(['runs', 'resume', cut.id, '--epochs', '12', '--home', home.dir, '--json']);
    expect(resumed.code, resumed.stderr.join('\n')).toBe(0);
    expect(lastJson<{ epochs: number }>(resumed).epochs).toBe(12);
    const metrics = (run: TrainedCliRun) => readFileSync(join(run.runDir, 'metrics.jsonl'), 'utf8');
    const losses = (run: TrainedCliRun) => metrics(run).trim().split('\n').map((l) => (JSON.parse(l) as { train: { loss: number }; val: { loss: number } }));
    expect(losses(cut).map((m) => [m.train.loss, m.val.loss])).toEqual(losses(straight).map((m) => [m.train.loss, m.val.loss]));
    expect(record(cut).summary.test).toEqual(record(straight).summary.test);
    const model = (run: TrainedCliRun) => (JSON.parse(readFileSync(run.model, 'utf8')) as { layers: unknown; training: object });
    expect(model(cut).layers).toEqual(model(straight).layers);
    expect(model(cut).training).toMatchObject({ classWeights: record(straight).training.classWeights });
  });
});

describe('the classWeight setting', () => {
  it('is none or balanced, absent in runs from before it (which then count every row once), and none by default', () => {
    const { classWeight: _absent, ...before } = defaultSettings();
    expect(TRAINING_DEFAULTS.classWeight).toBe('none');
    expect(trainSettingsSchema.safeParse(before).success).toBe(true);
    expect(trainSettingsSchema.safeParse({ ...before, classWeight: 'balanced' }).success).toBe(true);
    expect(trainSettingsSchema.safeParse({ ...before, classWeight: 'heavy' }).success).toBe(false);
  });
});

describe('--class-weight on the command line', () => {
  it('is refused for a number to predict, in one sentence that says what to do', async () => {
    const result = await runCli(['train', trainFile, '--target', 'temperature', '--class-weight', 'balanced', '--epochs', '2', '--home', home.dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.join('\n')).toMatch(/^nnlab: Class weights are for classes, but "temperature" is predicted as a number: set class weights to none, or predict the target as classes\.$/m);
    expect(result.stderr.join('\n')).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('takes only none or balanced, and says so', async () => {
    const result = await runCli(['train', trainFile, '--class-weight', 'heavy', '--home', home.dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.join('\n')).toContain('expected one of none, balanced, got "heavy"');
    const help = await runCli(['train', '--help']);
    expect(help.stdout.join(' ').replace(/\s+/g, ' ')).toMatch(/--class-weight <weighting> none: every row counts once in the loss; balanced: .* \(default: "none"\)/);
  });
});

/** How many training rows of each class the run had, from nnlab's own split of its data. */
async function trainingClassCounts(run: RunRecord): Promise<number[]> {
  const { data } = await readRunData(run.request);
  const cols = data.train.y.length / data.train.rows;
  const counts = new Array<number>(cols).fill(0);
  for (let r = 0; r < data.train.rows; r++) counts[classOfRow(data.train.y, r, cols)]!++;
  return counts;
}
