import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cellLabel } from '../../engine/data/column-builder';
import { foldRows } from '../../engine/data/split';
import { runRecordSchema, type RunRecord } from '../../common/run-record';
import { readRunData } from '../../main/training/run-data';
import { pythonWith } from '../../main/python';
import { evaluateRun } from '../../main/lab/run-evaluation';
import { RunStore } from '../../main/store/run-store';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';

const home = tempHome();
/** A Python with NumPy, which the PyTorch script's dry run needs. */
const PYTHON = pythonWith('numpy');
afterAll(home.cleanup);

interface Metrics { loss: number; accuracy?: number }
interface ExperimentJson {
  experiment: string;
  folds: number;
  runs: { run: string; name: string; status: string; test: Metrics; model: string }[];
  mean: { test: Record<string, number> };
  sd: { test: Record<string, number> };
}

const readRecord = (id: string): RunRecord => runRecordSchema.parse(JSON.parse(readFileSync(join(home.dir, 'runs', id, 'run.json'), 'utf8')));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleSd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

describe('nnlab train --cv', () => {
  let out: ExperimentJson;

  it('trains 3 stratified folds of iris as one experiment, and prints each fold and the mean ± sd', async () => {
    const result = await runCli(['train', dataset('iris.csv'), '--cv', '3', '--epochs', '40', '--home', home.dir, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    out = lastJson<ExperimentJson>(result);
    expect(out.folds).toBe(3);
    expect(out.runs).toHaveLength(3);
    for (const key of ['loss', 'accuracy']) {
      const values = out.runs.map((r) => r.test[key as keyof Metrics]!);
      expect(out.mean.test[key]).toBeCloseTo(mean(values), 12);
      expect(out.sd.test[key]).toBeCloseTo(sampleSd(values), 12);
    }
    expect(out.mean.test.accuracy).toBeGreaterThan(0.8);
  });

  it('keeps the folds on disk with the experiment, testing each on its own fold of the rows', async () => {
    const records = out.runs.map((r) => readRecord(r.run));
    const imported = await readRunData({ ...records[0]!.request, fold: undefined });
    const species = imported.imported.table.columns.find((c) => c.name === 'species')!;
    const labels = Array.from({ length: 150 }, (_, r) => cellLabel(species, r));
    const expected = foldRows(Array.from({ length: 150 }, (_, i) => i), labels, 3, 1);
    const seen = new Set<number>();
    for (const [index, record] of records.entries()) {
      expect(record.experiment).toEqual({ id: out.experiment, name: 'iris 3-fold', fold: index + 1, folds: 3 });
      expect(record.request.fold).toEqual({ folds: 3, index });
      expect(record.dataset.splits.test).toBe(50);
      const { data } = await readRunData(record.request);
      const testRows = [...data.test!.source!];
      expect(testRows).toEqual(expected[index]);
      for (const row of testRows) seen.add(row);
      // Stratified: iris has 50 rows of each of 3 classes, so each fold tests about 16 or 17 of each.
      for (const label of new Set(labels)) expect(Math.abs(testRows.filter((r) => labels[r] === label).length - 50 / 3)).toBeLessThan(1);
      expect(data.train.rows + data.val.rows).toBe(100);
    }
    expect(seen.size).toBe(150);
  });

  it('evaluates, resumes and exports a fold run on the same test rows', async () => {
    const store = new RunStore(home.dir);
    const id = out.runs[1]!.run;
    const before = await evaluateRun(store, id);
    expect(before.split).toBe('test');
    expect(before.total).toBe(50);
    expect(before.metrics.accuracy).toBeCloseTo(out.runs[1]!.test.accuracy!, 6);
    const resumed = await runCli(['runs', 'resume', id, '--epochs', String(readRecord(id).summary.epochs + 3), '--home', home.dir, '--json']);
    expect(resumed.code, resumed.stderr.join('\n')).toBe(0);
    const after = await evaluateRun(store, id);
    expect(after.total).toBe(50);
    expect(after.rows.map((r) => r.truth)).toEqual(before.rows.map((r) => r.truth));
    expect(after.rows.map((r) => r.features)).toEqual(before.rows.map((r) => r.features));
    expect(readRecord(id).experiment?.fold).toBe(2);
    // The export is checked on the fold's own test rows.
    const exported = await runCli(['export', id, '--format', 'json', '--out', join(home.dir, 'fold-2.json'), '--home', home.dir, '--json']);
    expect(exported.code, exported.stderr.join('\n')).toBe(0);
    expect(lastJson<{ verified: boolean; rows: number }>(exported)).toMatchObject({ verified: true, rows: 50 });
    // The PyTorch script rebuilds the same fold (its --dry-run checks the split's sizes against nnlab's).
    const script = join(home.dir, 'train-fold-2.py');
    const torch = await runCli(['export', id, '--format', 'torch', '--out', script, '--home', home.dir, '--json']);
    expect(torch.code, torch.stderr.join('\n')).toBe(0);
    if (!PYTHON) return;
    const dry = spawnSync(PYTHON, [script, '--dry-run'], { encoding: 'utf8' });
    expect(dry.status, dry.stderr).toBe(0);
    const { splits } = readRecord(id).dataset;
    expect(dry.stdout).toContain(`rows: ${splits.train} train, ${splits.val} validation, 50 test`);
  });

  it('lists the folds marked with their experiment, and names it in runs show', async () => {
    const list = await runCli(['runs', 'list', '--home', home.dir]);
    expect(list.stdout.join('\n')).toMatch(/iris 3-fold · fold 1\/3 .* 1\/3/);
    expect(list.stdout.join('\n')).toContain(`experiment iris 3-fold (${out.experiment}) · 3 folds · test loss`);
    const show = await runCli(['runs', 'show', out.runs[0]!.run, '--home', home.dir]);
    expect(show.stdout.join('\n')).toContain(`experiment: iris 3-fold (${out.experiment}) · fold 1 of 3`);
  });

  it('says how many folds remain after one fold run is deleted', async () => {
    expect((await runCli(['runs', 'rm', out.runs[2]!.run, '--home', home.dir])).code).toBe(0);
    const list = lastJson<{ experiments: { id: string; folds: number; runs: { id: string; fold: number }[]; test: { mean: Record<string, number> } }[] }>(
      await runCli(['runs', 'list', '--home', home.dir, '--json']),
    );
    const experiment = list.experiments.find((e) => e.id === out.experiment)!;
    expect(experiment.folds).toBe(3);
    expect(experiment.runs.map((r) => r.fold)).toEqual([1, 2]);
    const text = await runCli(['runs', 'list', '--home', home.dir]);
    expect(text.stdout.join('\n')).toContain('2 of 3 folds remain');
  });

  it('refuses more folds than the rarest class has rows, one fold, and a separate test file', async () => {
    const many = await runCli(['train', dataset('iris.csv'), '--cv', '51', '--home', home.dir, '--json']);
    expect(many.code).toBe(1);
    expect(many.stderr.join('\n')).toMatch(/Cross-validation with 51 folds needs at least 51 rows of every class of "species", but class "\w+" has only 50 in iris\.csv: use at most 50 folds\./);
    const one = await runCli(['train', dataset('iris.csv'), '--cv', '1', '--home', home.dir]);
    expect(one.code).not.toBe(0);
    expect(one.stderr.join('\n')).toMatch(/--cv <folds>.*whole number from 2 to 1,000/);
    const withFile = await runCli(['train', dataset('iris.csv'), '--cv', '3', '--test-file', dataset('iris.csv'), '--home', home.dir]);
    expect(withFile.code).toBe(1);
    expect(withFile.stderr.join('\n')).toContain('--cv tests each fold on rows of the training file, so it cannot be combined with --test-file');
  });
});
