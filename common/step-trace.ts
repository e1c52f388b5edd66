import { z } from 'zod';
import { ACTIVATIONS } from '../engine/activations';
import { LOSSES } from '../engine/losses';
import { OPTIMIZERS } from '../engine/optimizers';
import type { StepTrace } from '../engine/step-trace';
import { TRAINER_STATUSES } from '../engine/trainer';
import { anyNumber, wireNumber } from './wire-values';

/**
 * A traced mini-batch (engine/step-trace.ts) declared once over how its numbers travel: as themselves between
 * processes, or as JSON with null for a number that is not finite (common/wire-values.ts).
 */
function stepTraceShape<N extends z.ZodType<number>>(number: N) {
  const matrix = z.object({
    rows: z.number().int(),
    cols: z.number().int(),
    shownRows: z.number().int(),
    shownCols: z.number().int(),
    values: z.array(number),
    summary: z.object({ min: number, max: number, mean: number, norm: number }),
  });
  const parameter = z.object({
    before: matrix,
    gradient: matrix,
    after: matrix,
    moments: z.array(z.object({ name: z.enum(['velocity', 'm', 'v']), before: matrix, after: matrix })),
  });
  const layer = z.object({
    layer: z.number().int(),
    inputs: z.number().int(),
    units: z.number().int(),
    activation: z.enum(ACTIVATIONS),
    input: matrix,
    z: matrix,
    a: matrix,
    da: matrix.nullable(),
    dz: matrix,
    weights: parameter,
    bias: parameter.nullable(),
  });
  return z.object({
    step: z.number().int(),
    epoch: z.number().int(),
    batchRows: z.number().int(),
    trainingRows: z.array(z.number().int()),
    fileRows: z.array(z.number().int()).nullable(),
    loss: number,
    lossName: z.enum(LOSSES),
    learningRate: z.number(),
    optimizer: z.object({ name: z.enum(OPTIMIZERS), momentum: z.number(), beta1: z.number(), beta2: z.number(), epsilon: z.number(), l2: z.number() }),
    t: z.number().int(),
    layers: z.array(layer),
    status: z.enum(TRAINER_STATUSES),
    message: z.string(),
  });
}

/** Between a host and its worker. */
export const stepTraceSchema: z.ZodType<StepTrace> = stepTraceShape(anyNumber);
/** As the browser host's WebSocket carries it. */
export const stepTraceOverJson = stepTraceShape(wireNumber);
