import { z } from 'zod';
import { numberSchema, RULES } from './rules';
// Any number, NaN and ±∞ included: the epoch at which a run diverged has a loss that is one of them.
import { anyNumber, wireFloat64s, wireFloatArrays, wireNumber } from './wire-values';
import { trainRequestSchema } from './settings';
import { trainingHealthSchema } from './training-health';
import { stepTraceSchema } from './step-trace';
import { forkSourceSchema } from './fork-source';

/** Version of the messages between a host and a training worker; both sides refuse any other. */
export const WORKER_PROTOCOL = 2;

export const workerCommandSchema = z.discriminatedUnion('type', [
  /** `fork`: the new run starts from that checkpoint's weights and optimizer state. */
  z.object({ type: z.literal('configure'), protocol: z.literal(WORKER_PROTOCOL), seq: z.number().int(), home: z.string().min(1), request: trainRequestSchema, fork: forkSourceSchema.optional() }),
  z.object({ type: z.literal('reopen'), protocol: z.literal(WORKER_PROTOCOL), seq: z.number().int(), home: z.string().min(1), run: z.string(), epochs: numberSchema(RULES.epochs).optional() }),
  z.object({ type: z.literal('start'), seq: z.number().int() }),
  z.object({ type: z.literal('pause'), seq: z.number().int() }),
  z.object({ type: z.literal('resume'), seq: z.number().int() }),
  z.object({ type: z.literal('step'), seq: z.number().int(), count: numberSchema(RULES.steps) }),
  z.object({ type: z.literal('stop'), seq: z.number().int() }),
  z.object({ type: z.literal('set'), seq: z.number().int(), learningRate: numberSchema(RULES.learningRate) }),
  /** At most this many mini-batches a second while training runs, each reported; null: full speed. */
  z.object({ type: z.literal('speed'), seq: z.number().int(), stepsPerSecond: numberSchema(RULES.stepsPerSecond).nullable() }),
  z.object({ type: z.literal('snapshot'), seq: z.number().int() }),
  /** From a rollback after divergence: sets the learning rate and trains on from the last good epoch. */
  z.object({ type: z.literal('continue'), seq: z.number().int(), learningRate: numberSchema(RULES.learningRate) }),
  /** One mini-batch, answered with its trace (engine/step-trace.ts). */
  z.object({ type: z.literal('stepDetail'), seq: z.number().int() }),
]);
export type WorkerCommand = z.infer<typeof workerCommandSchema>;

// 'rolled-back': diverged and taken back to the last good epoch, waiting to continue at a lower learning rate.
const SESSION_STATES = ['loading', 'ready', 'training', 'paused', 'rolled-back', 'finished', 'stopped', 'diverged', 'failed'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

const floats = z.union([z.instanceof(Float32Array), z.instanceof(Float64Array)]);

/**
 * The shapes that hold float arrays and numbers that may not be finite, declared once over how those are
 * carried: as themselves between processes (structured clone keeps typed arrays and NaN), or as JSON
 * (common/wire-values.ts: plain arrays, null for what is not finite), so one declaration serves both.
 */
function numericShapes<
  Float64s extends z.ZodType<Float64Array>,
  Floats extends z.ZodType<Float32Array | Float64Array>,
  AnyNumber extends z.ZodType<number>,
>(float64s: Float64s, floatArrays: Floats, number: AnyNumber) {
  const progress = z.object({
    state: z.enum(SESSION_STATES),
    epoch: z.number().int(),
    /** The epoch (from 1) of the step last taken or failed, where the status line places training; absent before it was sent. */
    stepEpoch: z.number().int().optional(),
    epochs: z.number().int(),
    step: z.number().int(),
    stepsPerEpoch: z.number().int(),
    samplesPerSecond: z.number(),
    /** Loss of every mini-batch since the last progress message, thinned to at most 256 values. */
    batchSteps: float64s,
    batchLosses: float64s,
    loss: z.number().nullable(),
    valLoss: z.number().nullable(),
    learningRate: z.number(),
  });
  const splitMetrics = z.object({ loss: number, accuracy: number.optional(), rmse: number.optional(), r2: number.optional() });
  /** One line of a run's metrics log (engine/trainer.ts EpochMetrics). */
  const epochMetrics = z.object({
    epoch: z.number().int(),
    step: z.number().int(),
    learningRate: number,
    train: splitMetrics,
    val: splitMetrics.optional(),
  });
  /** Each unit on the last mini-batch (engine/activation-stats.ts); absent when the run is not training here. */
  const unitStats = z.object({ rows: z.number().int(), mean: floatArrays, meanAbs: floatArrays, min: floatArrays, max: floatArrays, active: floatArrays });
  const snapshotLayer = z.object({ inputs: z.number().int(), units: z.number().int(), activation: z.string(), weights: floatArrays, bias: floatArrays.nullable(), stats: unitStats.optional() });
  return { progress, epochMetrics, snapshotLayer };
}

/** The shapes as they travel between a host and its worker. */
export const inProcess = numericShapes(z.instanceof(Float64Array), floats, anyNumber);
/** The same shapes as JSON carries them (the browser host's WebSocket). */
export const overJson = numericShapes(wireFloat64s, wireFloatArrays, wireNumber);

const progressSchema = inProcess.progress;
export type Progress = z.infer<typeof progressSchema>;
const epochMetricsSchema = inProcess.epochMetrics;

export const workerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), run: z.string(), progress: progressSchema, warnings: z.array(z.string()) }),
  z.object({ type: z.literal('ack'), seq: z.number().int(), progress: progressSchema }),
  z.object({ type: z.literal('progress'), progress: progressSchema }),
  z.object({ type: z.literal('epochs'), metrics: z.array(epochMetricsSchema) }),
  z.object({ type: z.literal('warning'), message: z.string() }),
  /** The run's training health, measured at the end of an epoch (at full speed, not at every one). */
  z.object({ type: z.literal('health'), health: trainingHealthSchema }),
  z.object({ type: z.literal('error'), seq: z.number().int().nullable(), message: z.string(), fatal: z.boolean() }),
  z.object({ type: z.literal('done'), progress: progressSchema, status: z.string(), message: z.string(), model: z.string() }),
  z.object({
    type: z.literal('snapshot'),
    seq: z.number().int(),
    layers: z.array(inProcess.snapshotLayer),
  }),
  z.object({ type: z.literal('stepDetail'), seq: z.number().int(), progress: progressSchema, trace: stepTraceSchema }),
]);
export type WorkerEvent = z.infer<typeof workerEventSchema>;
