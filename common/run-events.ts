import { z } from 'zod';

/**
 * Something that happened to a run in the course of its training, kept in its run.json so that the loss chart
 * marks it after a reload too. A rollback: training diverged at `step` and went back to the end of epoch `epoch`
 * (step `toStep`), where it waits to continue at a lower learning rate.
 */
export const runEventSchema = z.object({
  kind: z.literal('rollback'),
  step: z.number().int().nonnegative(),
  epoch: z.number().int().nonnegative(),
  toStep: z.number().int().nonnegative(),
  /** What happened, as the divergence guard said it. */
  message: z.string(),
  /** The learning rate the run is offered to continue at. */
  suggestedLearningRate: z.number().positive(),
});
export type RunEvent = z.infer<typeof runEventSchema>;
