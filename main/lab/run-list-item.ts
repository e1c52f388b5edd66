import type { RunListItem } from '../../common/lab-api';
import type { RunRecord } from '../../common/run-record';

/** One line of `runs list`: what a person scans a list of runs for. */
export function runListItem(run: RunRecord): RunListItem {
  // Validation rows only: a run without them has no best validation score, and its training score is not one.
  const best = run.summary.val;
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    dataset: run.dataset.path,
    created: run.created,
    updated: run.updated,
    task: run.task,
    target: run.dataset.target,
    architecture: [run.model.inputs, ...run.model.layers.map((l) => l.units)].join('-'),
    epochs: run.summary.epochs,
    train: run.summary.train,
    val: run.summary.val,
    test: run.summary.test,
    metric: run.task === 'regression' ? { name: 'rmse', value: best?.rmse ?? null } : { name: 'accuracy', value: best?.accuracy ?? null },
    ...(run.experiment ? { experiment: run.experiment } : {}),
    ...(run.parent ? { parent: run.parent } : {}),
    ...(run.sweep ? { sweep: run.sweep, seed: run.seed } : {}),
  };
}
