import { z } from 'zod';
import { TRAINER_STATUSES, type TrainerState } from '../engine/trainer';
import { finiteOrNull } from './json-numbers';

/*
 * The trainer's resumable state as JSON, declared once: decoding a checkpoint's state gives the engine's
 * TrainerState, and encoding a TrainerState gives what a checkpoint holds. Typed arrays travel as the base64
 * of their bytes, and the numbers that may be NaN or ±∞ as null.
 */

/** Bytes per call to String.fromCharCode: its arguments go on the stack, which holds only so many. */
const CHUNK = 0x8000;

// atob and btoa exist on every runtime nnlab runs on (Node, Electron, browsers, workers); Buffer only in Node.
function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Base64 text as its bytes, refused unless they make whole 4-byte values (a float32 or a uint32 each). */
const base64Words = z.codec(z.base64(), z.custom<Uint8Array>((value) => value instanceof Uint8Array), {
  decode: (text, payload) => {
    const bytes = base64ToBytes(text);
    if (bytes.length % 4 === 0) return bytes;
    payload.issues.push({ code: 'custom', message: 'Not a whole number of 4-byte values.', input: text });
    return z.NEVER;
  },
  encode: bytesToBase64,
});

const bytesOf = (array: Float32Array | Uint32Array): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** A float array as the bytes of its float32 values: float64 state (gradient checks only) is rounded to float32. */
const floatArray = z.custom<Float32Array | Float64Array>((value) => value instanceof Float32Array || value instanceof Float64Array);
const float32Base64 = z.codec(base64Words, floatArray, {
  decode: (bytes) => new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4),
  encode: (array) => bytesOf(array instanceof Float32Array ? array : Float32Array.from(array)),
});

const uint32Base64 = z.codec(base64Words, z.custom<Uint32Array>((value) => value instanceof Uint32Array), {
  decode: (bytes) => new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4),
  encode: bytesOf,
});

/** Any number, NaN and ±∞ included (z.number() refuses them). */
const anyNumber = z.custom<number>((value) => typeof value === 'number');

/** A number that JSON cannot always hold: null when it is not finite, read back as `otherwise`. */
const finiteOr = (otherwise: number) =>
  z.codec(z.number().nullable(), anyNumber, { decode: (value) => value ?? otherwise, encode: (value) => finiteOrNull(value) });

/** A number a checkpoint may lack, written only when it is finite, and read as NaN ("not known") when absent. */
const unknownAsNaN = z.codec(z.number().optional(), anyNumber, {
  decode: (value) => value ?? Number.NaN,
  encode: (value) => (Number.isFinite(value) ? value : undefined),
});

/** A number checkpoints written before it was kept lack: they read as `otherwise`, the value it had then, which is left out. */
const absentAs = (otherwise: number) => z.codec(z.number().optional(), z.number(), {
  decode: (value) => value ?? otherwise,
  encode: (value) => (value === otherwise ? undefined : value),
});

export const trainerStateSchema = z.object({
  status: z.enum(TRAINER_STATUSES),
  message: z.string(),
  epoch: z.number().int(),
  cursor: z.number().int(),
  steps: z.number().int(),
  samples: z.number(),
  lastBatchLoss: finiteOr(Number.NaN),
  baseLearningRate: z.number(),
  learningRate: z.number(),
  epochLossSum: z.number(),
  epochCorrect: z.number(),
  // Infinity until the first epoch sets the bar.
  bestLoss: finiteOr(Infinity),
  badEpochs: z.number().int(),
  // Kept since the plateau schedule: older checkpoints read as "not known" (NaN: the trainer works it out), 1 and 0.
  bestEpoch: unknownAsNaN,
  rateScale: absentAs(1),
  plateauWait: absentAs(0),
  firstEpochLoss: finiteOr(Number.NaN),
  // The divergence guard's baseline, written only when it is a number. Checkpoints from before it was kept have
  // none: it reads as NaN (unknown), and the trainer uses its own measurement of the same initial weights; such a
  // checkpoint is written back as it was.
  initialLoss: unknownAsNaN,
  parameters: float32Base64,
  lastGood: float32Base64,
  best: float32Base64,
  optimizer: z.object({ t: z.number().int(), first: z.array(float32Base64), second: z.array(float32Base64) }),
  // The spare normal draw is NaN when there is none.
  shuffleRng: z.array(finiteOr(Number.NaN)).length(5),
  order: uint32Base64,
  historyLength: z.number().int(),
}) satisfies z.ZodType<TrainerState>;
