import type { ExperimentRef, TrainRequest } from './settings';

/** What a run says of the experiment it is a fold of (as run.json and the run list carry it). */
export interface FoldOf {
  id: string;
  name: string;
  /** From 1. */
  fold: number;
  folds: number;
}

/** A cross-validation experiment as the runs still on disk show it. */
export interface ExperimentSummary {
  id: string;
  name: string;
  folds: number;
  /** The fold runs that remain, by fold. */
  runs: { id: string; fold: number }[];
  /** Over the remaining folds' test metrics. */
  test: MetricStats;
}

/** The experiments among runs (each with a test split's metrics), in the order their first run appears. */
export function experimentSummaries(runs: readonly { id: string; experiment?: FoldOf | undefined; test: MetricValues | null }[]): ExperimentSummary[] {
  const groups = new Map<string, { of: FoldOf; members: { id: string; fold: number; test: MetricValues | null }[] }>();
  for (const run of runs) {
    if (!run.experiment) continue;
    const member = { id: run.id, fold: run.experiment.fold, test: run.test };
    const group = groups.get(run.experiment.id);
    if (group) group.members.push(member);
    else groups.set(run.experiment.id, { of: run.experiment, members: [member] });
  }
  return [...groups.values()].map(({ of, members }) => {
    members.sort((a, b) => a.fold - b.fold);
    return { id: of.id, name: of.name, folds: of.folds, runs: members.map(({ id, fold }) => ({ id, fold })), test: metricStats(members.map((m) => m.test)) };
  });
}

/** "3 of 5 folds remain" when some fold runs were deleted, else "5 folds". */
export function foldsLeft(summary: ExperimentSummary): string {
  return summary.runs.length === summary.folds ? `${summary.folds} folds` : `${summary.runs.length} of ${summary.folds} folds remain`;
}

/** An experiment's name unless one is given: the data file's name and the number of folds, "iris 5-fold". */
export function experimentName(file: string, folds: number, name?: string): string {
  return name ?? `${file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '')} ${folds}-fold`;
}

/** The request of fold `index` (from 0) of a cross-validation experiment: the same data and settings, another test fold. */
export function foldRequest(request: TrainRequest, experiment: ExperimentRef, folds: number, index: number): TrainRequest {
  const { testFile: _testFile, ...rest } = request;
  return {
    ...rest,
    settings: { ...request.settings, name: `${experiment.name} · fold ${index + 1}/${folds}` },
    fold: { folds, index },
    experiment,
  };
}

/** How tables name a metric; a metric without a name here shows its key. */
const METRIC_LABELS: Readonly<Record<string, string>> = { loss: 'loss', accuracy: 'accuracy', balancedAccuracy: 'balanced accuracy', rmse: 'RMSE', mae: 'MAE', r2: 'R²' };

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? key;
}

/** Metrics as a run keeps them per split: a loss and whatever else the task measures (numbers, null where a value was not one, and reports such as the per-class table, which are not aggregated). */
export type MetricValues = Readonly<Record<string, unknown>>;

/** The mean of some values and their sample standard deviation (n − 1), null for fewer than two. */
export function meanAndSampleSd(values: readonly number[]): { mean: number; sd: number | null } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** Mean and sample standard deviation (n − 1) of every numeric metric over the folds that have it. */
export interface MetricStats {
  mean: Record<string, number>;
  /** null for a metric only one fold has. */
  sd: Record<string, number | null>;
  /** How many folds gave each metric. */
  count: Record<string, number>;
}

/**
 * Every metric's mean ± sd over the folds, key by key, so that a metric a run's summary gains later is
 * aggregated without a change here. Folds without the split, and values that are not finite numbers, are left out.
 */
export function metricStats(folds: readonly (MetricValues | null | undefined)[]): MetricStats {
  const values = new Map<string, number[]>();
  for (const metrics of folds) {
    for (const [key, value] of Object.entries(metrics ?? {})) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const list = values.get(key);
      if (list) list.push(value);
      else values.set(key, [value]);
    }
  }
  const stats: MetricStats = { mean: {}, sd: {}, count: {} };
  for (const [key, list] of values) {
    const { mean, sd } = meanAndSampleSd(list);
    stats.mean[key] = mean;
    stats.sd[key] = sd;
    stats.count[key] = list.length;
  }
  return stats;
}
