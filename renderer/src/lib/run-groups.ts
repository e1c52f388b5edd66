import { experimentSummaries, type ExperimentSummary } from '../../../common/experiment';
import { sweepSummaries, type SweepSummary } from '../../../common/sweep';
import type { RunListItem } from '../../../common/lab-api';
import { formatNumber, formatPercent } from './format';

/** A run on its own, the fold runs of one experiment, or the runs of one seed sweep, with its summary. */
export interface RunGroup {
  experiment: ExperimentSummary | null;
  sweep: SweepSummary | null;
  runs: RunListItem[];
}

/**
 * The runs in their order, except that an experiment's folds are kept together (by fold) and a sweep's runs
 * (by seed index) where the newest of them would be.
 */
export function groupRuns(runs: readonly RunListItem[]): RunGroup[] {
  const experiments = new Map(experimentSummaries(runs).map((s) => [s.id, s]));
  const sweeps = new Map(sweepSummaries(runs).map((s) => [s.id, s]));
  const groups: RunGroup[] = [];
  const byGroup = new Map<string, RunGroup>();
  for (const run of runs) {
    const key = run.experiment ? `experiment ${run.experiment.id}` : run.sweep ? `sweep ${run.sweep.id}` : undefined;
    if (key === undefined) {
      groups.push({ experiment: null, sweep: null, runs: [run] });
      continue;
    }
    let group = byGroup.get(key);
    if (!group) {
      group = { experiment: run.experiment ? experiments.get(run.experiment.id)! : null, sweep: run.experiment || !run.sweep ? null : sweeps.get(run.sweep.id)!, runs: [] };
      byGroup.set(key, group);
      groups.push(group);
    }
    group.runs.push(run);
  }
  const place = (run: RunListItem) => run.experiment?.fold ?? run.sweep?.index ?? 0;
  for (const group of byGroup.values()) group.runs.sort((a, b) => place(a) - place(b));
  return groups;
}

/** The end of a run id ("20261128-173900-f6b8" → "f6b8"): its random part, short enough for a column. */
export function shortRunId(id: string): string {
  return id.slice(-4);
}

/**
 * Each run's name as a list shows it: a name that several of the runs share gets "#2", "#3", … on all but its
 * oldest run, in the order they were created, so runs shown together can be told apart.
 */
export function displayNames(runs: readonly Pick<RunListItem, 'id' | 'name' | 'created'>[]): Map<string, string> {
  const byName = new Map<string, Pick<RunListItem, 'id' | 'created'>[]>();
  for (const run of runs) byName.set(run.name, [...(byName.get(run.name) ?? []), run]);
  const names = new Map<string, string>();
  for (const [name, same] of byName) {
    const oldestFirst = [...same].sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
    oldestFirst.forEach((run, i) => names.set(run.id, i === 0 ? name : `${name} #${i + 1}`));
  }
  return names;
}

/** A split's score as lists of runs show it: accuracy for classes, R² for a number; "—" for a run without such rows. */
export function splitScore(task: string, split: { accuracy?: number | null; r2?: number | null } | null | undefined): string {
  if (!split) return '—';
  return task === 'regression' ? `R² ${formatNumber(split.r2 ?? null, 3)}` : formatPercent(split.accuracy);
}
