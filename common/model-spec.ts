import { z } from 'zod';
import { ACTIVATIONS } from '../engine/activations';
import { INITIALIZERS } from '../engine/initializers';
import { LOSSES } from '../engine/losses';
import type { NetworkSpec } from '../engine/network';
import { APPLIED_MISSING_POLICIES, type Preprocessing } from '../engine/data/preprocessing';
import { DECIMAL_MARKS } from '../engine/data/numbers';
import { DATE_PARTS } from '../engine/data/dates';

/** Schemas for the engine's plain data, shared by the model file, run.json and process messages. */
export const networkSpecSchema = z.object({
  inputs: z.number().int().positive(),
  layers: z.array(z.object({ units: z.number().int().positive(), activation: z.enum(ACTIVATIONS) })).min(1),
  bias: z.boolean(),
  loss: z.enum(LOSSES),
  init: z.enum(INITIALIZERS),
}) satisfies z.ZodType<NetworkSpec>;

const numericFeature = z.object({
  kind: z.literal('numeric'),
  column: z.string(),
  mean: z.number(),
  std: z.number().positive(),
  impute: z.number(),
});

const oneHotFeature = z.object({
  kind: z.literal('onehot'),
  column: z.string(),
  categories: z.array(z.string()),
  impute: z.string(),
});

const dateFeature = z.object({
  kind: z.literal('date'),
  column: z.string(),
  parts: z.array(z.enum(DATE_PARTS)).min(1),
  mean: z.array(z.number()),
  std: z.array(z.number().positive()),
  impute: z.array(z.number()),
}).refine((f) => f.mean.length === f.parts.length && f.std.length === f.parts.length && f.impute.length === f.parts.length, { message: 'a date feature needs a mean, a standard deviation and an imputed value for each of its parts' });

export const preprocessingSchema = z.object({
  features: z.array(z.union([numericFeature, oneHotFeature, dateFeature])),
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('classes'), column: z.string(), classes: z.array(z.string()).min(2) }),
    z.object({ kind: z.literal('value'), column: z.string(), mean: z.number(), std: z.number().positive() }),
  ]),
  missingMarkers: z.array(z.string()),
  missingPolicy: z.enum(APPLIED_MISSING_POLICIES),
  decimal: z.enum(DECIMAL_MARKS).optional(),
}) satisfies z.ZodType<Preprocessing>;

const averagedMetricsSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });

/** Quality metrics of predictions against the truth; a number that was not finite is stored as null. */
export const qualityMetricsSchema = z.object({
  accuracy: z.number().nullable().optional(),
  rmse: z.number().nullable().optional(),
  r2: z.number().nullable().optional(),
  // The full report (engine/metrics-report.ts): runs written before it existed do without.
  mae: z.number().nullable().optional(),
  balancedAccuracy: z.number().nullable().optional(),
  perClass: z.array(z.object({ class: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() })).optional(),
  macroAvg: averagedMetricsSchema.optional(),
  weightedAvg: averagedMetricsSchema.optional(),
});
export type QualityMetrics = z.infer<typeof qualityMetricsSchema>;

export const splitMetricsSchema = z.object({ loss: z.number().nullable() }).extend(qualityMetricsSchema.shape);
