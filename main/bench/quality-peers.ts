import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { QualityTask } from './quality-datasets';
import { balancedAccuracyOfPredictions } from './quality-metrics';
import { lastJsonLine, runProcess } from './quality-process';

/** scikit-learn's MLPs the bench fits (bench/sklearn_peer.py), by name and hidden layers; each Adam, ReLU, alpha 1e-4. */
export const SKLEARN_CONFIGS = [
  { name: 'default', hidden: [100] },
  { name: '16', hidden: [16] },
  { name: '64-32', hidden: [64, 32] },
] as const;
export type SklearnConfig = (typeof SKLEARN_CONFIGS)[number]['name'];
export const SKLEARN_CONFIG_NAMES: SklearnConfig[] = SKLEARN_CONFIGS.map((c) => c.name);
export const SKLEARN_MAX_ITER = 500;

/** One peer's test scores on one split. */
export interface QualityScore {
  /** "nnlab" or "sklearn <config>". */
  peer: string;
  accuracy?: number;
  balanced_accuracy?: number;
  r2?: number;
  rmse?: number;
  /** Seconds of training (nnlab: the run's own training time; scikit-learn: fit). */
  seconds: number;
  /** Epochs (nnlab) or iterations (scikit-learn) trained. */
  epochs: number;
  test_rows: number;
  note?: string;
}

export interface SplitFiles {
  train: string;
  test: string;
  target: string;
  task: QualityTask;
  seed: number;
}

interface TrainJson {
  run: string;
  model: string;
  status: string;
  epochs: number;
  seconds: number;
  test: { accuracy?: number | null; balanced_accuracy?: number | null; rmse?: number | null; r2?: number | null } | null;
  message?: string | null;
}

const defined = (value: number | null | undefined): number | undefined => (value === null ? undefined : value);

/** `nnlab train train.csv --test-file test.csv` as a person runs it: its defaults, the target, the seed and `extra`. */
export async function nnlabScore(cli: string, split: SplitFiles, home: string, extra: readonly string[]): Promise<QualityScore> {
  const args = [cli, 'train', split.train, '--test-file', split.test, '--target', split.target, '--seed', String(split.seed), ...extra, '--json', '--home', home];
  const out = lastJsonLine<TrainJson>(await runProcess(process.execPath, args, 'nnlab train'), 'nnlab train');
  const record = JSON.parse(readFileSync(join(home, 'runs', out.run, 'run.json'), 'utf8')) as { dataset: { splits: { test: number } } };
  const score: QualityScore = { peer: 'nnlab', seconds: out.seconds, epochs: out.epochs, test_rows: record.dataset.splits.test };
  if (split.task === 'classification') {
    score.accuracy = defined(out.test?.accuracy);
    score.balanced_accuracy = defined(out.test?.balanced_accuracy) ?? await predictedBalancedAccuracy(cli, out.model, split);
  } else Object.assign(score, { r2: defined(out.test?.r2), rmse: defined(out.test?.rmse) });
  if (out.status !== 'finished') score.note = `${out.status}: ${out.message ?? ''}`.trim();
  return score;
}

/** Where the JSON line has no balanced accuracy, it is read from the model's predictions on test.csv, as a user would. */
async function predictedBalancedAccuracy(cli: string, model: string, split: SplitFiles): Promise<number> {
  const predictions = join(dirname(split.test), 'nnlab-predictions.csv');
  await runProcess(process.execPath, [cli, 'predict', model, split.test, '--out', predictions], 'nnlab predict');
  return balancedAccuracyOfPredictions(predictions, split.target);
}

interface SklearnJson {
  test_rows: number;
  results: { config: SklearnConfig; accuracy?: number; balanced_accuracy?: number; r2?: number; rmse?: number; seconds: number; iterations: number; converged: boolean }[];
}

/** scikit-learn's MLPs fitted on the same train.csv and scored on the same test.csv (bench/sklearn_peer.py). */
export async function sklearnScores(python: string, script: string, split: SplitFiles, configs: readonly SklearnConfig[]): Promise<QualityScore[]> {
  const args = [script, 'fit', '--train', split.train, '--test', split.test, '--target', split.target, '--task', split.task,
    '--seed', String(split.seed), '--configs', configs.join(','), '--max-iter', String(SKLEARN_MAX_ITER)];
  const out = lastJsonLine<SklearnJson>(await runProcess(python, args, 'scikit-learn peer'), 'scikit-learn peer');
  return out.results.map(({ config, iterations, converged, ...metrics }) => ({
    peer: `sklearn ${config}`,
    ...metrics,
    epochs: iterations,
    test_rows: out.test_rows,
    ...(converged ? {} : { note: `not converged in ${SKLEARN_MAX_ITER} iterations` }),
  }));
}
