import { z } from 'zod';
import { OPTIMIZERS } from '../engine/optimizers';
import { SCHEDULES } from '../engine/schedules';
import type { TrainConfig } from '../engine/trainer';
import { KERNEL_SETS } from '../engine/kernels';
import { numberSchema, RULES } from './rules';
import { trainRequestSchema } from './settings';
import { migrateRunRecord } from './run-record-migration';
import type { FoldOf } from './experiment';
import type { SweepOf } from './sweep';
import { networkSpecSchema, preprocessingSchema, splitMetricsSchema } from './model-spec';
import { runBaselinesSchema } from './baselines';
import { runEventSchema } from './run-events';
import { trainingHealthSchema } from './training-health';
import { forkSourceSchema } from './fork-source';

/** 2: the request keeps the roles and the settings apart, and the hidden layers as a list of {units, activation}. */
export const RUN_SCHEMA_VERSION = 2;

const RUN_STATUSES = ['queued', 'training', 'paused', 'finished', 'stopped', 'diverged', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

// batchSize and earlyStopPatience keep checks of their own: runs written by 0.1.0 may exceed today's upper limits for them.
const trainConfigSchema = z.object({
  epochs: numberSchema(RULES.epochs),
  batchSize: z.union([z.number().int().positive(), z.literal('full')]),
  learningRate: numberSchema(RULES.learningRate),
  optimizer: z.object({
    name: z.enum(OPTIMIZERS),
    momentum: z.number(),
    beta1: z.number(),
    beta2: z.number(),
    epsilon: z.number(),
    l2: numberSchema(RULES.l2),
  }),
  schedule: z.object({ name: z.enum(SCHEDULES), stepEpochs: z.number(), gamma: z.number(), minFactor: z.number(), patience: z.number().int().positive().optional(), factor: z.number().positive().optional() }),
  shuffle: z.boolean(),
  earlyStopPatience: z.number().int().positive().nullable(),
  earlyStopMinDelta: z.number().nonnegative().optional(),
  seed: numberSchema(RULES.seed),
  /** The weight of each class in the loss, in the order of the classes, when the run weighs classes. */
  classWeights: z.array(z.number().nonnegative().finite()).optional(),
  /**
   * The kernel set that trained the run (it may differ from the one asked for: WebAssembly that cannot run here
   * falls back to JavaScript, and so does a network too small for WebAssembly to help). Absent in runs recorded
   * before it was: those trained with 'wasm', which their replays keep.
   */
  kernels: z.enum(KERNEL_SETS).optional(),
}) satisfies z.ZodType<TrainConfig>;

const runSummarySchema = z.object({
  epochs: z.number().int().nonnegative(),
  steps: z.number().int().nonnegative(),
  train: splitMetricsSchema.nullable(),
  val: splitMetricsSchema.nullable(),
  test: splitMetricsSchema.nullable(),
  samplesPerSecond: z.number().nullable(),
  seconds: z.number().nullable(),
  /** Peak resident memory of the process that trained the run, in MB. */
  peakMemoryMb: z.number().nullable().optional(),
  message: z.string(),
  /** The majority class (or mean) and a linear model on the same rows; absent in runs made before them. */
  baselines: runBaselinesSchema.optional(),
  /** The refit on training and validation rows together that made the saved model; null or absent: the first fit made it. */
  refit: z.object({ epochs: z.number().int().positive(), rows: z.number().int().positive() }).nullable().optional(),
  /** The training health at the end (engine/health); absent in runs made before it was measured. */
  health: trainingHealthSchema.optional(),
});

const currentRunRecordSchema = z.object({
  schema: z.literal(RUN_SCHEMA_VERSION),
  id: z.string(),
  name: z.string(),
  notes: z.string(),
  tags: z.array(z.string()),
  created: z.string(),
  updated: z.string(),
  status: z.enum(RUN_STATUSES),
  /** The worker process training this run while its status is queued, training or paused. */
  pid: z.number().int().nullable(),
  /** The settings the run was made from, so it can be resumed or duplicated. */
  request: trainRequestSchema,
  dataset: z.object({
    path: z.string(),
    sha256: z.string(),
    testPath: z.string().nullable(),
    rows: z.number().int().nonnegative(),
    target: z.string(),
    features: z.array(z.string()),
    ignored: z.array(z.object({ column: z.string(), reason: z.string() })),
    splits: z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int() }),
  }),
  task: z.enum(['binary', 'multiclass', 'regression']),
  preprocessing: preprocessingSchema,
  model: networkSpecSchema,
  training: trainConfigSchema,
  seed: z.number().int(),
  engine: z.string(),
  settingChanges: z.array(z.object({ step: z.number().int(), setting: z.string(), from: z.unknown(), to: z.unknown() })),
  /** Rollbacks after divergence, oldest first; absent in runs that never had one. */
  events: z.array(runEventSchema).optional(),
  warnings: z.array(z.string()),
  summary: runSummarySchema,
  /** The cross-validation experiment this run is fold `fold` (from 1) of `folds` of; absent for a single run. */
  experiment: (z.object({ id: z.string(), name: z.string(), fold: z.number().int().positive(), folds: z.number().int().positive() }) satisfies z.ZodType<FoldOf>).optional(),
  /** The run and epoch whose checkpoint this run was forked from; absent for a run trained from its initial weights. */
  parent: forkSourceSchema.optional(),
  /** The seed sweep this run is seed `index` (from 1) of `seeds` of; absent for a run on its own. */
  sweep: (z.object({ id: z.string(), name: z.string(), index: z.number().int().positive(), seeds: z.number().int().positive() }) satisfies z.ZodType<SweepOf>).optional(),
});

/** A run.json of this version or an earlier one, read as this version. */
export const runRecordSchema = z.preprocess(migrateRunRecord, currentRunRecordSchema);

export type RunRecord = z.infer<typeof currentRunRecordSchema>;

/** A run folder whose run.json cannot be read, listed with what is wrong so it can be removed. */
export interface DamagedRun {
  id: string;
  problem: string;
}
