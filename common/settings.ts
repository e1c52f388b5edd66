import { z } from 'zod';
import { ACTIVATIONS } from '../engine/activations';
import { INITIALIZERS } from '../engine/initializers';
import { LOSSES } from '../engine/losses';
import { OPTIMIZERS } from '../engine/optimizers';
import { SCHEDULES } from '../engine/schedules';

/** How to read a CSV file; every field optional (detected when absent). */
export const importOptionsSchema = z.object({
  delimiter: z.string().length(1).optional(),
  decimal: z.enum(['.', ',']).optional(),
  encoding: z.string().max(32).optional(),
  missingMarkers: z.array(z.string().max(64)).max(64).optional(),
  header: z.boolean().optional(),
}).strict();

/** Everything about a training run except which file it reads: the same for the app, the browser host and the CLI. */
export const trainSettingsSchema = z.object({
  name: z.string().max(200).optional(),
  target: z.string().max(1000).optional(),
  ignore: z.array(z.string().max(1000)).max(10_000).optional(),
  task: z.enum(['classification', 'regression']).optional(),
  import: importOptionsSchema.optional(),
  missingPolicy: z.enum(['drop', 'impute']),
  standardize: z.boolean(),
  layers: z.array(z.number().int().min(1).max(100_000)).max(64),
  activation: z.enum(ACTIVATIONS).refine((a) => a !== 'softmax', 'softmax is for the output layer only'),
  /** One activation per hidden layer, overriding `activation` layer by layer. */
  activations: z.array(z.enum(ACTIVATIONS).refine((a) => a !== 'softmax', 'softmax is for the output layer only')).max(64).optional(),
  loss: z.union([z.enum(LOSSES), z.literal('auto')]),
  init: z.union([z.enum(INITIALIZERS), z.literal('auto')]),
  bias: z.boolean(),
  optimizer: z.enum(OPTIMIZERS),
  momentum: z.number().min(0).max(1),
  learningRate: z.number().positive().finite(),
  schedule: z.enum(SCHEDULES),
  epochs: z.number().int().min(1).max(10_000_000),
  batch: z.union([z.number().int().min(1), z.literal('full')]),
  l2: z.number().min(0).finite(),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  val: z.number().min(0).lt(1),
  test: z.number().min(0).lt(1),
  earlyStop: z.number().int().min(1).nullable(),
}).strict();

export type TrainSettings = z.infer<typeof trainSettingsSchema>;
