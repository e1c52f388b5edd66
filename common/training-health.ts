import { z } from 'zod';
import { HEALTH_WARNING_KINDS, type TrainingHealth } from '../engine/health';

const histogramSchema = z.object({ min: z.number(), max: z.number(), counts: z.array(z.number().int().nonnegative()) });

/** A run's training health (engine/health): sent by the worker at most once an epoch, kept in the run's summary at its end. */
export const trainingHealthSchema = z.object({
  epoch: z.number().int().nonnegative(),
  layers: z.array(z.object({ layer: z.number().int().positive(), activation: z.string(), units: z.number().int().positive() })),
  history: z.array(z.object({
    epoch: z.number().int().nonnegative(),
    layers: z.array(z.object({ weights: histogramSchema, activations: histogramSchema, gradients: histogramSchema })),
  })),
  warnings: z.array(z.object({ kind: z.enum(HEALTH_WARNING_KINDS), layer: z.number().int().positive().optional(), message: z.string() })),
}) satisfies z.ZodType<TrainingHealth>;
