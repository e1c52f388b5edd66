import { experimentSummaries, type ExperimentSummary } from '../../../common/experiment';
import type { RunListItem } from '../../../common/lab-api';

/** A run on its own, or the fold runs of one experiment with its summary. */
export interface RunGroup {
  experiment: ExperimentSummary | null;
  runs: RunListItem[];
}

/**
 * The runs in their order, except that an experiment's folds are kept together (by fold) where its newest
 * fold would be.
 */
export function groupRuns(runs: readonly RunListItem[]): RunGroup[] {
  const summaries = new Map(experimentSummaries(runs).map((s) => [s.id, s]));
  const groups: RunGroup[] = [];
  const byExperiment = new Map<string, RunGroup>();
  for (const run of runs) {
    const id = run.experiment?.id;
    if (id === undefined) {
      groups.push({ experiment: null, runs: [run] });
      continue;
    }
    let group = byExperiment.get(id);
    if (!group) {
      group = { experiment: summaries.get(id)!, runs: [] };
      byExperiment.set(id, group);
      groups.push(group);
    }
    group.runs.push(run);
  }
  for (const group of byExperiment.values()) group.runs.sort((a, b) => a.experiment!.fold - b.experiment!.fold);
  return groups;
}
