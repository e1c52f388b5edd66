import { experimentName, foldRequest, foldsLeft, metricLabel, metricStats, type ExperimentSummary, type MetricStats } from '../../common/experiment';
import type { RunRecord } from '../../common/run-record';
import type { TrainRequest } from '../../common/settings';
import type { RunStore } from '../store/run-store';
import { compactNumber, formatNumber, formatPercent, metricsJson, textTable } from './format';
import type { Io } from './io';
import { exitCodeOf, trainJson, trainRun } from './train-run';

const SPLITS = ['train', 'val', 'test'] as const;

/**
 * `nnlab train --cv K`: the K folds one after another, each a run of its own carrying the experiment, then
 * every test metric's mean and sample standard deviation over the folds.
 */
export async function crossValidate(request: TrainRequest, folds: number, store: RunStore, options: { json: boolean }, io: Io): Promise<number> {
  if (request.testFile) {
    throw new Error('--cv tests each fold on rows of the training file, so it cannot be combined with --test-file: leave out one of them.');
  }
  const experiment = { id: store.newId(), name: experimentName(request.file, folds, request.settings.name) };
  if (!options.json) io.out(`Experiment ${experiment.id} · ${experiment.name} · ${folds}-fold cross-validation`);
  const runs: RunRecord[] = [];
  const notesSaid = new Set<string>();
  for (let index = 0; index < folds; index++) {
    const result = await trainRun(foldRequest(request, experiment, folds, index), store, { json: options.json, quiet: true, notesSaid }, io);
    if (result.failed) {
      io.err(`nnlab: fold ${index + 1} of ${folds} failed; the experiment is incomplete.`);
      return 1;
    }
    runs.push(result.run);
    if (!options.json) io.out(foldLine(result.run, index, folds));
    const code = exitCodeOf(result.run);
    if (code !== 0) {
      io.err(`nnlab: fold ${index + 1} of ${folds} ended ${result.run.status}${result.run.summary.message ? `: ${result.run.summary.message}` : ''}; the folds after it were not trained.`);
      if (options.json) io.out(JSON.stringify(experimentJson(experiment.id, folds, runs, store)));
      return code;
    }
  }
  if (options.json) {
    io.out(JSON.stringify(experimentJson(experiment.id, folds, runs, store)));
  } else {
    io.out('');
    io.out(statsTable(metricStats(runs.map((r) => r.summary.test))));
    io.out('');
    io.out(`mean ± sample standard deviation (n − 1) of the test metrics over ${folds} folds`);
  }
  return 0;
}

function foldLine(run: RunRecord, index: number, folds: number): string {
  const test = run.summary.test;
  const score = run.task === 'regression' ? `RMSE ${formatNumber(test?.rmse)} · R² ${formatNumber(test?.r2)}` : `accuracy ${formatPercent(test?.accuracy)}`;
  return `fold ${index + 1}/${folds} · run ${run.id} · ${run.status} after ${run.summary.epochs} epochs · ${run.dataset.splits.test} test rows · test loss ${formatNumber(test?.loss)} · ${score}`;
}

/** A metric's value as the tables show it: accuracy in percent, others in up to five digits. */
function showMetric(key: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return key === 'accuracy' || key === 'balancedAccuracy' ? formatPercent(value) : compactNumber(value);
}

function statsTable(stats: MetricStats): string {
  return textTable([['test metric', 'mean', 'sd', 'folds'], ...Object.keys(stats.mean).map((key) => [
    metricLabel(key), showMetric(key, stats.mean[key]), showMetric(key, stats.sd[key]), String(stats.count[key]),
  ])]);
}

/** "iris 5-fold (20261202-…) · 5 folds · test loss 0.14 ± 0.12 · accuracy 95.3% ± 4.6%": an experiment in one line. */
export function experimentLine(summary: ExperimentSummary): string {
  const metrics = Object.keys(summary.test.mean).map((key) => `${metricLabel(key)} ${showMetric(key, summary.test.mean[key])} ± ${showMetric(key, summary.test.sd[key])}`);
  return [`experiment ${summary.name} (${summary.id})`, foldsLeft(summary), ...(metrics.length ? [`test ${metrics.join(' · ')}`] : [])].join(' · ');
}

/** The --json line: each fold's train --json object, and the mean and sample sd (n − 1) of each split's metrics. */
function experimentJson(id: string, folds: number, runs: RunRecord[], store: RunStore): Record<string, unknown> {
  const stats = Object.fromEntries(SPLITS.map((split) => [split, metricStats(runs.map((r) => metricsJson(r.summary[split])))]));
  return {
    experiment: id,
    folds,
    runs: runs.map((r) => trainJson(r, store)),
    mean: Object.fromEntries(SPLITS.map((split) => [split, stats[split]!.mean])),
    sd: Object.fromEntries(SPLITS.map((split) => [split, stats[split]!.sd])),
  };
}
