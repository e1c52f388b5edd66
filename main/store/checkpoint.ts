import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { TrainerState } from '../../engine/trainer';
import { finiteOrNull } from '../../common/json-numbers';
import { writeFileAtomic } from '../files/atomic';

/** The file that lets a run continue exactly where it stopped: the trainer's whole state. */
export const CHECKPOINT_FILE = 'checkpoint.json';
const CHECKPOINT_VERSION = 1;

const TRAINER_STATUSES = ['ready', 'training', 'finished', 'early_stopped', 'diverged'] as const;

const checkpointSchema = z.object({
  version: z.literal(CHECKPOINT_VERSION),
  saved: z.string(),
  state: z.object({
    status: z.enum(TRAINER_STATUSES),
    message: z.string(),
    epoch: z.number().int(),
    cursor: z.number().int(),
    steps: z.number().int(),
    samples: z.number(),
    lastBatchLoss: z.number().nullable(),
    baseLearningRate: z.number(),
    learningRate: z.number(),
    epochLossSum: z.number(),
    epochCorrect: z.number(),
    bestLoss: z.number().nullable(),
    badEpochs: z.number().int(),
    firstEpochLoss: z.number().nullable(),
    parameters: z.string(),
    lastGood: z.string(),
    best: z.string(),
    optimizer: z.object({ t: z.number().int(), first: z.array(z.string()), second: z.array(z.string()) }),
    shuffleRng: z.array(z.number().nullable()).length(5),
    order: z.string(),
    historyLength: z.number().int(),
  }),
});

const encodeFloats = (a: Float32Array | Float64Array): string => Buffer.from(Float32Array.from(a).buffer).toString('base64');
const decodeFloats = (text: string): Float32Array => {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
};

// ±Infinity and NaN have no JSON form: null stands for them, and loadCheckpoint reads it back as written here.
export async function saveCheckpoint(runDir: string, state: TrainerState): Promise<void> {
  const file = {
    version: CHECKPOINT_VERSION,
    saved: new Date().toISOString(),
    state: {
      ...state,
      lastBatchLoss: finiteOrNull(state.lastBatchLoss),
      bestLoss: finiteOrNull(state.bestLoss),
      firstEpochLoss: finiteOrNull(state.firstEpochLoss),
      parameters: encodeFloats(state.parameters),
      lastGood: encodeFloats(state.lastGood),
      best: encodeFloats(state.best),
      optimizer: { t: state.optimizer.t, first: state.optimizer.first.map(encodeFloats), second: state.optimizer.second.map(encodeFloats) },
      shuffleRng: state.shuffleRng.map(finiteOrNull),
      order: Buffer.from(state.order.buffer, state.order.byteOffset, state.order.byteLength).toString('base64'),
    },
  };
  await writeFileAtomic(join(runDir, CHECKPOINT_FILE), JSON.stringify(file));
}

export async function loadCheckpoint(runDir: string, run: string): Promise<TrainerState> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(join(runDir, CHECKPOINT_FILE), 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? `Run ${run} has no checkpoint to resume from.` : `Run ${run} has a damaged checkpoint: it is not valid JSON.`);
  }
  const parsed = checkpointSchema.safeParse(data);
  if (!parsed.success) throw new Error(`Run ${run} has a damaged checkpoint (${parsed.error.issues[0]!.path.join('.')}).`);
  const s = parsed.data.state;
  const orderBytes = Buffer.from(s.order, 'base64');
  const order = new Uint32Array(orderBytes.length / 4);
  new Uint8Array(order.buffer).set(orderBytes);
  return {
    ...s,
    lastBatchLoss: s.lastBatchLoss ?? Number.NaN,
    bestLoss: s.bestLoss ?? Infinity,
    firstEpochLoss: s.firstEpochLoss ?? Number.NaN,
    parameters: decodeFloats(s.parameters),
    lastGood: decodeFloats(s.lastGood),
    best: decodeFloats(s.best),
    optimizer: { t: s.optimizer.t, first: s.optimizer.first.map(decodeFloats), second: s.optimizer.second.map(decodeFloats) },
    shuffleRng: s.shuffleRng.map((v) => v ?? Number.NaN),
    order,
  };
}
