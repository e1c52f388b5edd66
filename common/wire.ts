import { z } from 'zod';
import type { LabEvent, LabMethod } from './lab-api';
import { plainIssues } from './issue-text';
import { overJson } from './worker-protocol';
import { stepTraceOverJson } from './step-trace';

/**
 * The messages of `nnlab serve`'s one WebSocket: JSON text frames carrying the LabApi contract.
 *
 *   client → server  {"id": 7, "method": "listRuns", "args": []}
 *   server → client  {"id": 7, "result": …}  or  {"id": 7, "error": {"message": "…"}}
 *   server → client  {"event": LabEvent}      (every connection hears every event)
 *
 * A request that cannot be read gets an error whose id is the request's id when one can be found, else null.
 * Bytes (uploadDataset's file) travel as {"$bytes": "<base64>"} in the place of the Uint8Array. Typed arrays
 * in results and events (Float64Array in progress, Float32Array in snapshots) travel as plain arrays of
 * numbers; numbers that JSON cannot hold (NaN, ±Infinity) travel as null.
 *
 * This file has no Node imports: the browser client imports its types.
 */
export const WIRE_PATH = '/ws';

/** The largest file a browser may upload (a dataset or a model), in bytes. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** The methods whose message carries a file: the one kind of large message. */
export const UPLOAD_METHODS: readonly string[] = ['uploadDataset', 'uploadModel'];

/** The largest message of any other kind. */
export const MAX_CALL_BYTES = 1024 * 1024;

/**
 * The largest message the server reads at all (the WebSocket's maxPayload): an upload of MAX_UPLOAD_BYTES as
 * base64 with room for its envelope; larger ones close the connection with code 1009.
 */
export const MAX_MESSAGE_BYTES = Math.ceil(MAX_UPLOAD_BYTES / 3) * 4 + 64 * 1024;

/** Calls one connection may have waiting for answers at once; more are refused until some are answered. */
export const MAX_CALLS_IN_FLIGHT = 32;

/** The close code a WebSocket gets when its peer sent a message over the size limit. */
export const CLOSE_TOO_BIG = 1009;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const wireBytesSchema = z.object({
  $bytes: z.string().refine((s) => s.length % 4 === 0 && BASE64.test(s), 'must be base64 text'),
}).strict();
export type WireBytes = z.infer<typeof wireBytesSchema>;

export const wireRequestSchema = z.object({
  id: z.number(),
  method: z.string().min(1).max(100),
  args: z.array(z.unknown()).max(16),
}).strict();
export type WireRequest = z.infer<typeof wireRequestSchema>;

const errorBody = z.object({ message: z.string() }).strict();

/** What the server sends; used by clients that can run zod (tests, Node) to check every message. */
export const wireServerMessageSchema = z.union([
  z.object({ id: z.number(), result: z.unknown() }).strict(),
  z.object({ id: z.number().nullable(), error: errorBody }).strict(),
  z.object({ event: z.object({ type: z.string() }).loose() }).strict(),
]);

/** A value as JSON carries it: typed arrays as plain arrays, and null wherever a number was not finite. */
export type Plain<T> =
  T extends Float32Array | Float64Array | Uint8Array | Int32Array | Uint32Array ? (number | null)[]
    : T extends number ? number | null
      : T extends (infer U)[] ? Plain<U>[]
        : T extends object ? { [K in keyof T]: Plain<T[K]> }
          : T;

export type WireReply = { id: number; result: Plain<unknown> };
export type WireError = { id: number | null; error: { message: string } };
export type WireEvent = { event: Plain<LabEvent> };

const sessionStatus = z.object({ progress: overJson.progress.nullable() }).loose();
const sessionInfo = sessionStatus.extend({ epochs: z.array(overJson.epochMetrics) });

/**
 * How each method's result is read back from JSON into the contract's types: the schema of the parts JSON
 * cannot carry as they are (typed arrays, numbers that are not finite), or null where JSON carries it whole.
 */
export const wireResults = {
  version: null,
  exampleDatasets: null,
  openExample: null,
  openDatasetPath: null,
  uploadDataset: null,
  inspectDataset: null,
  listRuns: null,
  getRun: z.object({ metrics: z.array(overJson.epochMetrics) }).loose(),
  renameRun: null,
  setRunNotes: null,
  deleteRun: null,
  duplicateRun: null,
  runBench: null,
  createSession: sessionInfo,
  createFoldSession: sessionInfo,
  createSweepSession: sessionInfo,
  resumeRun: sessionInfo,
  sessions: z.array(sessionInfo),
  start: sessionStatus,
  pause: sessionStatus,
  resume: sessionStatus,
  step: sessionStatus,
  stop: sessionStatus,
  setLearningRate: sessionStatus,
  setSpeed: sessionStatus,
  continueAfterDivergence: sessionStatus,
  stepInDetail: z.object({ status: sessionStatus, trace: stepTraceOverJson }).loose(),
  snapshot: z.array(overJson.snapshotLayer),
  health: null,
  checkpoints: z.array(z.object({ metrics: overJson.epochMetrics }).loose()),
  checkpointSnapshot: z.array(overJson.snapshotLayer),
  forkRun: sessionInfo,
  evaluateRun: null,
  checkGradients: null,
  boundaryData: null,
  exportFormats: null,
  exportModel: null,
  openModelPath: null,
  uploadModel: null,
  openRunModel: null,
  predictWithModel: null,
} satisfies Record<LabMethod, z.ZodType | null>;

/** Events read back from JSON the same way. */
export const wireEventSchema = z.union([
  z.object({ type: z.literal('progress'), progress: overJson.progress }).loose(),
  z.object({ type: z.literal('epochs'), metrics: z.array(overJson.epochMetrics) }).loose(),
  z.object({ type: z.enum(['done', 'ended', 'warning', 'runs-changed']) }).loose(),
]);
export type WireServerMessage = WireReply | WireError | WireEvent;
/** What the host hands to encodeServerMessage: events still hold their typed arrays. */
export type OutgoingMessage = WireReply | WireError | { event: LabEvent };

export type ParsedRequest =
  | { ok: true; id: number; method: string; args: unknown[] }
  | { ok: false; id: number | null; message: string };

/**
 * Reads one incoming text frame: JSON, then the envelope, then any {"$bytes"} arguments (decoded with
 * `decodeBase64`, which the host supplies). The method and its arguments are checked by the lab itself.
 */
export function parseRequest(text: string, decodeBase64: (base64: string) => Uint8Array): ParsedRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, id: null, message: 'The message is not JSON.' };
  }
  const id = readableId(json);
  const parsed = wireRequestSchema.safeParse(json, plainIssues);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ok: false, id, message: `The message is not a request of the form {"id": number, "method": string, "args": [...]} (${where}${issue.message}).` };
  }
  const args: unknown[] = [];
  for (const [index, arg] of parsed.data.args.entries()) {
    if (arg === null || typeof arg !== 'object' || !Object.hasOwn(arg, '$bytes')) {
      args.push(arg);
      continue;
    }
    const bytes = wireBytesSchema.safeParse(arg);
    if (!bytes.success) return { ok: false, id, message: `Invalid arguments for ${parsed.data.method}: ${index}: {"$bytes"} must hold base64 text and nothing else.` };
    args.push(decodeBase64(bytes.data.$bytes));
  }
  return { ok: true, id: parsed.data.id, method: parsed.data.method, args };
}

function readableId(json: unknown): number | null {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return null;
  const id = (json as { id?: unknown }).id;
  return typeof id === 'number' && Number.isFinite(id) ? id : null;
}

/** JSON for one outgoing message, typed arrays as plain arrays; a result of undefined is sent as null. */
export function encodeServerMessage(message: OutgoingMessage): string {
  const body = 'result' in message && message.result === undefined ? { ...message, result: null } : message;
  return JSON.stringify(body, plainArrays);
}

function plainArrays(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}
