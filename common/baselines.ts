import { z } from 'zod';
import { splitMetricsSchema } from './model-spec';

/** A model's metrics on the three splits of a run, null where the run has no such rows. */
const splitsShape = {
  train: splitMetricsSchema.nullable(),
  val: splitMetricsSchema.nullable(),
  test: splitMetricsSchema.nullable(),
};

/**
 * What a run's network is measured against, on the same rows: a model that ignores its inputs (the majority
 * class, or the mean, of the training rows) and a model with no hidden layer trained by the same engine with
 * the run's settings.
 */
export const runBaselinesSchema = z.object({
  constant: z.object({ name: z.enum(['majority', 'mean']), ...splitsShape }),
  linear: z.object({
    ...splitsShape,
    /** Epochs it trained. */
    epochs: z.number().int().nonnegative(),
    /** The run's network has no hidden layer: it is the linear model, and these are its own metrics. */
    itself: z.boolean(),
    /** Why it ended before its last epoch (early stopping, divergence), or ''. */
    message: z.string(),
  }).nullable(),
  /** Why there is no linear baseline, or how it was limited; '' when there is nothing to say. */
  note: z.string(),
});
export type RunBaselines = z.infer<typeof runBaselinesSchema>;
export type SplitScores = z.infer<typeof splitMetricsSchema>;

export type SplitKey = 'train' | 'val' | 'test';
export const SPLIT_LABELS: Readonly<Record<SplitKey, string>> = { train: 'training', val: 'validation', test: 'test' };

/** The rows a run was not trained on that it has scores for: test, else validation, else (none held out) training. */
export function heldOutSplit(summary: Record<SplitKey, SplitScores | null>): SplitKey {
  if (summary.test) return 'test';
  if (summary.val) return 'val';
  return 'train';
}

/** The score a verdict compares: accuracy for classes (higher is better), RMSE for numbers (lower is better). */
function score(metrics: SplitScores | null | undefined, regression: boolean): number | null {
  const value = regression ? metrics?.rmse : metrics?.accuracy;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export interface BaselineVerdict {
  /** Whether the network scores better than every baseline on the held-out rows. */
  beats: boolean;
  sentence: string;
}

/**
 * One sentence on whether the network learned more than its baselines on the held-out rows: against the
 * constant model first (a network no better than it learned nothing usable), then the linear one. Null when
 * the scores to compare are missing. `format` writes a score (a percentage for accuracy).
 */
export function baselineVerdict(
  summary: Record<SplitKey, SplitScores | null>,
  baselines: RunBaselines,
  regression: boolean,
  format: (value: number) => string,
): BaselineVerdict | null {
  const split = heldOutSplit(summary);
  const network = score(summary[split], regression);
  if (network === null) return null;
  const metric = regression ? 'RMSE' : 'accuracy';
  const better = (a: number, b: number) => (regression ? a < b : a > b);
  const rows = `the ${SPLIT_LABELS[split]} rows`;
  const constant = score(baselines.constant[split], regression);
  const constantName = `${baselines.constant.name} baseline`;
  if (constant !== null && !better(network, constant)) {
    return { beats: false, sentence: `The network does no better than the ${constantName} on ${rows} (${metric} ${format(network)} against ${format(constant)}): it has learned nothing from the inputs that it can use.` };
  }
  const linear = baselines.linear && !baselines.linear.itself ? score(baselines.linear[split], regression) : null;
  if (linear !== null && !better(network, linear)) {
    return { beats: false, sentence: `The network does no better than the linear baseline on ${rows} (${metric} ${format(network)} against ${format(linear)}): a model with no hidden layer does as well.` };
  }
  if (linear !== null) {
    return { beats: true, sentence: `The network beats the linear baseline on ${rows} (${metric} ${format(network)} against ${format(linear)}) and the ${constantName} (${constant === null ? '–' : format(constant)}).` };
  }
  if (constant === null) return null;
  return { beats: true, sentence: `The network beats the ${constantName} on ${rows} (${metric} ${format(network)} against ${format(constant)}).` };
}
