import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelToOnnx } from '../../main/export/onnx-export';
import { loadModel } from '../../main/model-file';
import { dataset, lastJson, runCli, tempHome, writePrices } from '../support/cli';

/** Per-class metrics, balanced accuracy and MAE in `nnlab train --json`, `runs show` and `nnlab predict` on a file holding the truth. */
const home = tempHome();
afterAll(home.cleanup);

interface ClassRow { class: string; precision: number; recall: number; f1: number; support: number }
interface Averages { precision: number; recall: number; f1: number }
interface JsonMetrics {
  loss?: number;
  rows?: number;
  accuracy?: number;
  balanced_accuracy?: number;
  rmse?: number;
  mae?: number;
  r2?: number;
  per_class?: ClassRow[];
  macro_avg?: Averages;
  weighted_avg?: Averages;
}
interface TrainJson { run: string; model: string; train: JsonMetrics; val: JsonMetrics | null; test: JsonMetrics | null }

const IRIS = ['setosa', 'versicolor', 'virginica'];
let iris: TrainJson;
let irisHuman: string[];
let prices: TrainJson;
let pricesFile = '';

/** The per-class report counted straight from predicted and true labels. */
function counted(truth: string[], predicted: string[], classes: string[]): ClassRow[] {
  return classes.map((c) => {
    const hits = truth.filter((t, i) => t === c && predicted[i] === c).length;
    const support = truth.filter((t) => t === c).length;
    const asC = predicted.filter((p) => p === c).length;
    const precision = asC > 0 ? hits / asC : 0;
    const recall = support > 0 ? hits / support : 0;
    return { class: c, precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0, support };
  });
}

function expectReport(metrics: JsonMetrics, expected: ClassRow[]): void {
  expect(metrics.per_class!.map((m) => m.class)).toEqual(expected.map((m) => m.class));
  metrics.per_class!.forEach((m, c) => {
    const e = expected[c]!;
    expect(m.support).toBe(e.support);
    for (const key of ['precision', 'recall', 'f1'] as const) expect(m[key], `${m.class} ${key}`).toBeCloseTo(e[key], 12);
  });
  const mean = (key: keyof Averages) => expected.reduce((s, m) => s + m[key], 0) / expected.length;
  const total = expected.reduce((s, m) => s + m.support, 0);
  const weighted = (key: keyof Averages) => expected.reduce((s, m) => s + m[key] * m.support, 0) / total;
  for (const key of ['precision', 'recall', 'f1'] as const) {
    expect(metrics.macro_avg![key]).toBeCloseTo(mean(key), 12);
    expect(metrics.weighted_avg![key]).toBeCloseTo(weighted(key), 12);
  }
  expect(metrics.balanced_accuracy).toBeCloseTo(mean('recall'), 12);
}

beforeAll(async () => {
  const trained = await runCli(['train', dataset('iris.csv'), '--epochs', '40', '--home', home.dir, '--json']);
  expect(trained.code, trained.stderr.join('\n')).toBe(0);
  iris = lastJson<TrainJson>(trained);
  const human = await runCli(['train', dataset('iris.csv'), '--epochs', '40', '--home', home.dir]);
  expect(human.code, human.stderr.join('\n')).toBe(0);
  irisHuman = human.stdout;
  pricesFile = writePrices(home.dir);
  const regression = await runCli(['train', pricesFile, '--epochs', '150', '--home', home.dir, '--json']);
  expect(regression.code, regression.stderr.join('\n')).toBe(0);
  prices = lastJson<TrainJson>(regression);
});

describe('nnlab train --json', () => {
  it('gives every split of a classifier its per-class report, averages and balanced accuracy', () => {
    // iris: 150 rows, stratified 60/20/20, so 30, 10 and 10 of each species.
    for (const [split, each] of [['train', 30], ['val', 10], ['test', 10]] as const) {
      const metrics = iris[split]!;
      expect(Object.keys(metrics)).toEqual(['loss', 'accuracy', 'balanced_accuracy', 'per_class', 'macro_avg', 'weighted_avg']);
      expect(metrics.per_class!.map((m) => [m.class, m.support])).toEqual(IRIS.map((c) => [c, each]));
      // With classes of equal support, every average is the plain mean and balanced accuracy is accuracy.
      expect(metrics.balanced_accuracy).toBeCloseTo(metrics.accuracy!, 12);
      const meanRecall = metrics.per_class!.reduce((s, m) => s + m.recall, 0) / 3;
      expect(metrics.macro_avg!.recall).toBeCloseTo(meanRecall, 12);
      expect(metrics.weighted_avg!.f1).toBeCloseTo(metrics.macro_avg!.f1, 12);
      for (const m of metrics.per_class!) expect(m.f1).toBeCloseTo(m.precision + m.recall > 0 ? (2 * m.precision * m.recall) / (m.precision + m.recall) : 0, 12);
    }
  });

  it('gives a regression MAE in the target’s units beside RMSE and R², and no per-class report', () => {
    const test = prices.test!;
    expect(Object.keys(test)).toEqual(['loss', 'rmse', 'mae', 'r2']);
    expect(test.mae).toBeGreaterThan(1);
    expect(test.mae!).toBeLessThanOrEqual(test.rmse!);
  });

  it('prints the per-class table of the test rows after the loss table', () => {
    const text = irisHuman.join('\n');
    expect(text).toMatch(/Per class on the test rows:\nclass +precision +recall +F1 +support\n[- ]+\nsetosa +\d\.\d{4} +\d\.\d{4} +\d\.\d{4} +10\n/);
    expect(text).toMatch(/\nmacro avg +\d\.\d{4} +\d\.\d{4} +\d\.\d{4} +30\nweighted avg +\d\.\d{4} +\d\.\d{4} +\d\.\d{4} +30\nbalanced accuracy \d+\.\d%/);
    expect(text.indexOf('Per class')).toBeGreaterThan(text.indexOf('validation'));
  });
});

describe('nnlab runs show', () => {
  it('shows the same metrics, under the same keys with --json', async () => {
    const shown = lastJson<{ run: { summary: { test: { perClass: ClassRow[]; balancedAccuracy: number } } }; summary: Record<string, JsonMetrics> }>(
      await runCli(['runs', 'show', iris.run, '--home', home.dir, '--json']));
    expect(shown.summary.test).toEqual(iris.test);
    expect(shown.summary.val).toEqual(iris.val);
    expect(shown.run.summary.test.perClass).toEqual(iris.test!.per_class);
    expect(shown.run.summary.test.balancedAccuracy).toBe(iris.test!.balanced_accuracy);
    const human = await runCli(['runs', 'show', iris.run, '--home', home.dir]);
    expect(human.stdout.join('\n')).toMatch(/split +loss +accuracy\n[- ]+\ntrain .*\nvalidation .*\ntest .*\n\nPer class on the test rows:\n/);
    const regression = await runCli(['runs', 'show', prices.run, '--home', home.dir]);
    expect(regression.stdout.join('\n')).toMatch(/split +loss +RMSE +MAE +R²/);
    expect(regression.stdout.join('\n')).not.toMatch(/Per class/);
  });
});

describe('nnlab runs resume --json', () => {
  it('prints the split metrics under the keys of train --json', async () => {
    const resumed = lastJson<{ test: JsonMetrics }>(await runCli(['runs', 'resume', prices.run, '--epochs', '151', '--home', home.dir, '--json']));
    expect(Object.keys(resumed.test)).toEqual(['loss', 'rmse', 'mae', 'r2']);
    const shown = lastJson<{ summary: { test: JsonMetrics } }>(await runCli(['runs', 'show', prices.run, '--home', home.dir, '--json']));
    expect(shown.summary.test).toEqual(resumed.test);
  });
});

describe('nnlab predict on a file that holds the truth', () => {
  it('reports the metrics on stderr, keeping stdout the predictions CSV', async () => {
    const result = await runCli(['predict', iris.model, dataset('iris.csv')]);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const rows = parse(result.stdout.join('\n'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(150);
    const err = result.stderr.join('\n');
    const accuracy = rows.filter((r) => r.prediction === r.species).length / 150;
    expect(err).toContain('Metrics on 150 rows of iris.csv against its "species" column:');
    expect(err).toContain(`accuracy ${(accuracy * 100).toFixed(1)}%`);
    expect(err).toMatch(/\nmacro avg .* 150\n/);
  });

  it('--json prints {rows, out, metrics}, the metrics counted from the predictions it wrote', async () => {
    const out = join(home.dir, 'iris-predictions.csv');
    const result = await runCli(['predict', iris.model, dataset('iris.csv'), '--out', out, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const printed = lastJson<{ rows: number; out: string; metrics: JsonMetrics }>(result);
    expect(result.stdout.filter((l) => l.trim() !== '')).toHaveLength(1);
    expect(Object.keys(printed)).toEqual(['rows', 'out', 'metrics']);
    expect(printed.rows).toBe(150);
    expect(printed.out).toBe(out);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const truth = rows.map((r) => r.species!);
    const predicted = rows.map((r) => r.prediction!);
    expect(printed.metrics.rows).toBe(150);
    expect(printed.metrics.accuracy).toBeCloseTo(truth.filter((t, i) => t === predicted[i]).length / 150, 12);
    expectReport(printed.metrics, counted(truth, predicted, IRIS));
  });

  it('leaves out rows without a truth and classes the model never saw, and says so', async () => {
    const lines = readFileSync(dataset('iris.csv'), 'utf8').trim().split('\n');
    lines[1] = lines[1]!.replace(/setosa$/, '');
    lines[2] = lines[2]!.replace(/setosa$/, 'NA');
    lines[3] = lines[3]!.replace(/setosa$/, 'iris-nova');
    const file = join(home.dir, 'iris-edited.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out = join(home.dir, 'edited-predictions.csv');
    const result = await runCli(['predict', iris.model, file, '--out', out, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const printed = lastJson<{ rows: number; metrics: JsonMetrics }>(result);
    expect(printed.rows).toBe(150);
    expect(printed.metrics.rows).toBe(147);
    expect(printed.metrics.per_class!.map((m) => m.support)).toEqual([47, 50, 50]);
    const err = result.stderr.join('\n');
    expect(err).toContain('note: 2 rows without a value in "species" were left out of the metrics.');
    expect(err).toContain('note: 1 row of "species" holds a class the model never saw: "iris-nova" (1); it was left out of the metrics');
  });

  it('reports MAE, RMSE and R² of a regression in the target’s units', async () => {
    const out = join(home.dir, 'prices-predictions.csv');
    const result = await runCli(['predict', prices.model, pricesFile, '--out', out, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const { metrics } = lastJson<{ metrics: JsonMetrics }>(result);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const errors = rows.map((r) => Number(r.prediction) - Number(r.price));
    expect(Object.keys(metrics)).toEqual(['rows', 'rmse', 'mae', 'r2']);
    // The CSV holds each prediction in full, so the errors recomputed from it match to rounding.
    expect(metrics.mae).toBeCloseTo(errors.reduce((s, e) => s + Math.abs(e), 0) / rows.length, 6);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / rows.length), 6);
    expect(metrics.r2).toBeGreaterThan(0.9);
    const human = await runCli(['predict', prices.model, pricesFile]);
    expect(human.stderr.join('\n')).toMatch(/RMSE \d+\.\d{4} · MAE \d+\.\d{4} · R² 0\.\d{4}/);
  });

  it('judges an ONNX model’s predictions the same way', async () => {
    const onnx = join(home.dir, 'iris.onnx');
    writeFileSync(onnx, modelToOnnx(await loadModel(iris.model)));
    const out = join(home.dir, 'onnx-predictions.csv');
    const result = await runCli(['predict', onnx, dataset('iris.csv'), '--out', out, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const { metrics } = lastJson<{ metrics: JsonMetrics }>(result);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expectReport(metrics, counted(rows.map((r) => r.species!), rows.map((r) => r.prediction!), IRIS));
  });

  it('has no metrics for a file without the target column', async () => {
    const file = join(home.dir, 'new-flowers.csv');
    writeFileSync(file, 'petal_width,sepal_length,sepal_width,petal_length\n0.2,5.1,3.5,1.4\n2.3,6.9,3.1,5.4\n');
    const out = join(home.dir, 'new-predictions.csv');
    const result = await runCli(['predict', iris.model, file, '--out', out, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    expect(lastJson(result)).toEqual({ rows: 2, out, metrics: null });
    const human = await runCli(['predict', iris.model, file]);
    expect(human.stderr.join('\n')).not.toMatch(/Metrics/);
  });

  it('refuses --json without --out in one sentence, so predictions and JSON never share stdout', async () => {
    const result = await runCli(['predict', iris.model, dataset('iris.csv'), '--json']);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toEqual([]);
    expect(result.stderr.join('\n')).toMatch(/^nnlab: --json prints the metrics on stdout, so the predictions need a file of their own: add --out predictions\.csv\.$/);
  });
});
