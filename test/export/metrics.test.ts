import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun, type ExportResult } from '../../main/export/export-run';
import { tempHome } from '../support/cli';
import { RUN_KINDS, storeOf, trainAll, type RunKind, type TrainedRun } from './fixtures';

const home = tempHome();
afterAll(home.cleanup);
let runs: Record<RunKind, TrainedRun>;
const results = {} as Record<RunKind, ExportResult>;

interface EpochLine {
  epoch: number;
  step: number;
  learningRate: number;
  train: Record<string, number>;
  val?: Record<string, number>;
}

beforeAll(async () => {
  runs = await trainAll(home.dir);
  for (const kind of RUN_KINDS) results[kind] = await exportRun(storeOf(home.dir), runs[kind].id, 'metrics');
});

const metricsOf = (run: TrainedRun): EpochLine[] =>
  readFileSync(join(run.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EpochLine);

const textOf = (result: ExportResult, suffix: string): string => Buffer.from(result.files.find((f) => f.name.endsWith(suffix))!.bytes).toString('utf8');

/** A small well-formedness check: every tag closes in order, attributes are quoted, text has no bare & or <. */
function expectWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let at = 0;
  for (const m of svg.matchAll(tag)) {
    const between = svg.slice(at, m.index);
    expect(between, `text before ${m[0]}`).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos);)/);
    at = m.index + m[0].length;
    if (m[1]) expect(stack.pop(), `closing ${m[2]}`).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]!);
  }
  expect(svg.slice(at).trim()).toBe('');
  expect(stack).toEqual([]);
}

describe.each(RUN_KINDS)('the metrics export of the %s run', (kind) => {
  it('writes one CSV line per epoch with the values of metrics.jsonl', () => {
    const result = results[kind];
    const metrics = metricsOf(runs[kind]);
    expect(result.verification).toMatchObject({ verified: true, maxDelta: null, rows: metrics.length });
    const table = parse(textOf(result, '-metrics.csv')) as string[][];
    const regression = kind === 'regression';
    const keys = regression ? ['loss', 'rmse', 'r2'] : ['loss', 'accuracy'];
    const hasVal = kind !== 'xor';
    const columns = [...keys.map((k) => ['train', k]), ...(hasVal ? keys.map((k) => ['val', k]) : [])];
    expect(table[0]).toEqual(['epoch', 'step', 'learning_rate', ...columns.map(([s, k]) => `${s}_${k}`)]);
    expect(table).toHaveLength(metrics.length + 1);
    metrics.forEach((m, i) => {
      const expected = [m.epoch, m.step, m.learningRate, ...columns.map(([s, k]) => (s === 'train' ? m.train : m.val!)[k!])];
      expect(expected.every((v) => typeof v === 'number')).toBe(true);
      expect(table[i + 1]!.map(Number)).toEqual(expected);
    });
  });

  it('draws the loss and the accuracy (or RMSE) as SVG, one point per epoch for the training loss', () => {
    const result = results[kind];
    const metrics = metricsOf(runs[kind]);
    const chart = kind === 'regression' ? 'rmse.svg' : 'accuracy.svg';
    expect(result.files.map((f) => f.name.split('-').pop())).toEqual(['metrics.csv', 'loss.svg', chart]);
    for (const name of ['loss.svg', chart]) {
      const svg = textOf(result, `-${name}`);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expectWellFormed(svg);
      const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"><title>([^<]*)<\/title><\/polyline>/g)];
      expect(lines.map((l) => l[2])).toEqual(['training', 'validation']);
      const points = (l: RegExpMatchArray) => (l[1] ? l[1].split(' ') : []);
      const training = points(lines[0]!);
      expect(training).toHaveLength(metrics.length);
      for (const p of training) expect(p).toMatch(/^\d+\.\d,\d+\.\d$/);
      // x goes from left to right, one step per epoch.
      const xs = training.map((p) => Number(p.split(',')[0]));
      for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]!);
      expect(points(lines[1]!)).toHaveLength(kind === 'xor' ? 0 : metrics.length);
    }
    // The loss falls over training, so its line ends lower on the page (a larger y) than it starts.
    const loss = /<polyline [^>]*points="([^"]*)"/.exec(textOf(result, '-loss.svg'))![1]!.split(' ').map((p) => Number(p.split(',')[1]));
    expect(loss[loss.length - 1]!).toBeGreaterThan(loss[0]!);
  });

  it('bundles the CSV and charts in one zip', () => {
    const result = results[kind];
    expect(result.bundle.name).toMatch(/-metrics\.zip$/);
    const files = unzipSync(result.bundle.bytes);
    expect(Object.keys(files).sort()).toEqual(result.files.map((f) => f.name).sort());
    for (const f of result.files) expect(Buffer.from(files[f.name]!).equals(Buffer.from(f.bytes))).toBe(true);
  });
});
