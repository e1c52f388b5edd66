/**
 * Fuzz: seeded random and malformed messages through both transports of the lab, against a real LabBackend
 * on a temporary lab folder.
 *
 *   WebSocket (`nnlab serve` in this process, a real ws client with the token): 12,013 messages, of which
 *     12,000 seeded: 1,944 plausible calls (real run, dataset and model ids, paths inside the lab and the examples),
 *     1,692 with an argument of the wrong type, 1,354 out of range (numbers, lengths, settings), 1,282 with ids and
 *     paths that climb out (../, ..\, absolute, NUL), 969 malformed envelopes (id, method, args), 929 with
 *     __proto__ / constructor / prototype keys, 834 with too few or too many arguments, 648 unknown methods, 580 not
 *     JSON, 374 with args that are not a list, 368 malformed {"$bytes"}, 358 nested up to 50,000 deep, 345 binary
 *     frames, 323 JSON that is not an object;
 *     10 at the size limits (just under and over 1 MB, in characters and in bytes; 1 MB deep nesting; 50,000 keys;
 *     uploads over 1 MB); 3 text frames that are not UTF-8 (each closes its own connection, code 1007).
 *   Electron IPC (the registered lab:call handler, through the stand-in's structured clone): 4,000 seeded calls:
 *     756 plausible, 726 wrong type, 606 climbing out, 555 out of range, 400 prototype keys, 347 wrong arity,
 *     283 unknown methods (strings, objects with their own toString, undefined, bigint, Map…), 164 args not a list,
 *     163 nested up to 1,000 deep; values JSON cannot carry too (undefined, NaN, typed arrays, Date, Map).
 *
 * Every message gets exactly one answer (an error, or a result for the rare valid call) carrying its id when it
 * has one; no answer holds raw internal text (a stack, "undefined", a bare file-system error code); IPC refusals
 * never reach the backend; afterwards the host serves a valid client, nothing was written outside the lab
 * folder, the lab folder holds only what the lab writes, and Object.prototype is as it was.
 * Messages are sent in pipelined batches of at most MAX_CALLS_IN_FLIGHT, and every wait has only a safety limit.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { BrowserWindow } from 'electron';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { LAB_CALL } from '../../common/ipc-channels';
import { labMethods, type DatasetHandle, type ModelHandle, type RunListItem, type SessionInfo } from '../../common/lab-api';
import { MAX_CALL_BYTES, MAX_CALLS_IN_FLIGHT, wireServerMessageSchema } from '../../common/wire';
import { registerLabIpc, type LabIpc } from '../../main/electron/ipc';
import { examplesDir } from '../../main/lab/examples';
import { LabBackend } from '../../main/lab/lab-backend';
import { insideFolders } from '../../main/lab/readable-paths';
import { nodeWorkerLauncher } from '../../main/lab/worker-launcher';
import { startLabServer, type LabServer } from '../../main/serve/lab-server';
import { ENGINE_VERSION } from '../../main/version';
import { closeAllPorts, FakeBrowserWindow, ipcEvent, ipcMain } from '../electron/electron-stand-in';
import { builtWorker } from '../electron/helpers';
import { WireClient, withTimeout } from '../serve/helpers';
import { sessionArgs } from '../support/settings';
import { asValue, Deep, FrameGenerator, Generator, METHODS, REFUSED_AT_THE_DOOR, wireText, type Frame, type FuzzWorld } from './messages';

vi.mock('electron', async () => (await import('../electron/electron-stand-in')).electron);

const WS_FRAMES = 12_000;
const IPC_CALLS = 4_000;
const WS_SEED = 20_260_101;
const IPC_SEED = 20_260_102;

const repoRoot = resolve(new URL('../../', import.meta.url).pathname);
const parent = mkdtempSync(join(tmpdir(), 'nnlab-fuzz-'));
const home = join(parent, 'lab');
const outside = join(parent, 'outside');

let backend: LabBackend;
let server: LabServer;
let valid: WireClient;
let world: FuzzWorld;
const counts = { ws: new Map<string, number>(), ipc: new Map<string, number>() };
let protoBefore: string[];
let arrayProtoBefore: string[];
let outsideBefore: Map<string, string>;
let examplesBefore: Map<string, string>;
const mustNotAppear = [resolve('outside'), resolve('../../outside'), resolve('~'), resolve('evil.csv'), join(parent, 'evil.csv'), join(home, 'evil.csv'), '/outside'];
let appearedBefore: string[];
/** Set as each fuzz test passes its checks, so that the summary line says how it went. */
const passed = { ws: false, ipc: false };

/** Every file and folder under `dir` (leaving out `skip`), with its size and modification time. */
function tree(dir: string, skip: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (skip.includes(path)) continue;
      const info = lstatSync(path);
      out.set(relative(dir, path), `${info.isDirectory() ? 'dir' : info.size}:${info.mtimeMs}`);
      if (info.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out;
}

/** Why an answer's message is not one a window can show as it is, or null when it is. */
function rawInternals(message: unknown): string | null {
  if (typeof message !== 'string' || message.trim() === '') return 'no message';
  const signs: [RegExp, string][] = [
    [/\n\s*at\s/, 'a stack trace'],
    [/\bat .*:\d+:\d+\)?$/m, 'a stack frame'],
    [/\bundefined\b/, '"undefined"'],
    [/\[object \w+\]/, 'an object as text'],
    [/Cannot (read|set|convert|destructure)|is not a function|is not iterable|is not defined|is not a constructor/, 'a JavaScript error'],
    [/Invalid typed array length|Invalid array length|Array buffer allocation|Maximum call stack|out of memory/i, 'an engine limit'],
    [/\b(TypeError|RangeError|SyntaxError|ReferenceError|InternalError)\b/, 'an error class'],
    [/^E[A-Z]+:|\bE(NOENT|ACCES|ISDIR|NOTDIR|EXIST|PERM|INVAL|MFILE|NAMETOOLONG|LOOP)\b/, 'a file-system error code'],
  ];
  for (const [pattern, what] of signs) if (pattern.test(message)) return what;
  return null;
}

/** The desktop app opens by path only what its own dialog or a drop approved. */
const NOT_APPROVED = /^nnlab opens only (model )?files chosen in its Open/;

/** A fuzzed value as text, whatever it is. */
function show(value: unknown): string {
  try {
    return wireText(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Models opened by the fuzz itself become its targets: the lab keeps only the last few open. */
function adoptModels(target: FuzzWorld): (result: unknown) => void {
  return (result) => {
    const handle = result as Partial<ModelHandle> | null;
    if (handle && typeof handle.id === 'string' && Array.isArray(handle.inputs)) target.models = [...target.models, handle.id].slice(-3);
  };
}

function tally(map: Map<string, number>, kind: string): void {
  map.set(kind, (map.get(kind) ?? 0) + 1);
}

function total(map: Map<string, number>): number {
  return [...map.values()].reduce((a, b) => a + b, 0);
}

function describeCounts(map: Map<string, number>): string {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`).join(', ');
}

type Reply = { id: number | null; result?: unknown; error?: { message: string }; event?: unknown };

/** The fuzzing connection: sends frames in batches and keeps every reply, by id. */
class FuzzConnection {
  readonly byId = new Map<number, Reply[]>();
  readonly nullReplies: Reply[] = [];
  readonly problems: string[] = [];
  events = 0;
  private wake: (() => void) | null = null;

  private constructor(readonly ws: WebSocket, private readonly onResult: (result: unknown) => void) {
    ws.on('message', (data, isBinary) => {
      const text = String(data);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        this.problems.push(`not JSON: ${text.slice(0, 200)}`);
        return;
      }
      if (isBinary || !wireServerMessageSchema.safeParse(json).success) this.problems.push(`malformed: ${text.slice(0, 200)}`);
      const reply = json as Reply;
      if (reply.event !== undefined) this.events++;
      else if (reply.id === null) this.nullReplies.push(reply);
      else this.byId.set(reply.id, [...(this.byId.get(reply.id) ?? []), reply]);
      this.wake?.();
    });
  }

  static async connect(port: number, token: string, onResult: (result: unknown) => void = () => {}): Promise<FuzzConnection> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { maxPayload: 0 });
    await withTimeout(new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    }), 'the fuzz WebSocket to open');
    return new FuzzConnection(ws, onResult);
  }

  /** Sends the frames at once and waits for every one's answer. */
  async batch(frames: Frame[]): Promise<void> {
    const nullsBefore = this.nullReplies.length;
    for (const frame of frames) this.ws.send(frame.data, { binary: frame.binary });
    const nulls = frames.filter((f) => f.id === null);
    const answered = () => this.nullReplies.length >= nullsBefore + nulls.length && frames.every((f) => f.id === null || this.byId.has(f.id));
    await withTimeout(new Promise<void>((res) => {
      const check = () => {
        if (answered()) {
          this.wake = null;
          res();
        }
      };
      this.wake = check;
      check();
    }), `answers to a batch (missing: ${frames.filter((f) => f.id !== null && !this.byId.has(f.id)).map((f) => `${f.kind} ${String(f.data).slice(0, 120)}`).join(' | ')})`, 60_000).catch((error: Error) => {
      this.wake = null;
      throw new Error(`${error.message}; null answers ${this.nullReplies.length - nullsBefore} of ${nulls.length}`);
    });
    // Answers without an id come in the order their frames were read (each is answered as it is read).
    const mine = this.nullReplies.slice(nullsBefore, nullsBefore + nulls.length);
    nulls.forEach((frame, i) => this.check(frame, mine[i]!));
    for (const frame of frames) if (frame.id !== null) this.check(frame, this.byId.get(frame.id)![0]!);
  }

  private check(frame: Frame, reply: Reply): void {
    const what = () => `${frame.kind} ${String(frame.data).slice(0, 160)} → ${JSON.stringify(reply).slice(0, 300)}`;
    if (reply.error === undefined) {
      if (frame.mustFail) this.problems.push(`answered with a result: ${what()}`);
      this.onResult(reply.result);
      return;
    }
    const raw = rawInternals(reply.error.message);
    if (raw) this.problems.push(`${raw}: ${what()}`);
    if (frame.says && !frame.says.test(reply.error.message)) this.problems.push(`does not say ${frame.says}: ${what()}`);
  }

  close(): Promise<void> {
    return withTimeout(new Promise<void>((res) => {
      if (this.ws.readyState === WebSocket.CLOSED) return res();
      this.ws.once('close', () => res());
      this.ws.close();
    }), 'the fuzz WebSocket to close');
  }
}

beforeAll(async () => {
  protoBefore = Object.getOwnPropertyNames(Object.prototype);
  arrayProtoBefore = Object.getOwnPropertyNames(Array.prototype);
  mkdirSync(home);
  mkdirSync(outside);
  copyFileSync(join(examplesDir(), 'iris.csv'), join(outside, 'canary.csv'));
  appearedBefore = mustNotAppear.filter((path) => existsSync(path));

  // As `nnlab serve` builds its lab (main/cli/serve-command.ts).
  backend = new LabBackend(home, nodeWorkerLauncher(builtWorker), { readablePath: insideFolders([home, examplesDir()]) });
  server = await startLabServer({ lab: backend, port: 0, log: () => {} });
  valid = await WireClient.connect(server);

  // Something real to aim at: an open dataset, a finished run with its model, an open model.
  const iris = await valid.call<DatasetHandle>('openExample', 'iris');
  const penguins = await valid.call<DatasetHandle>('openDatasetPath', join(examplesDir(), 'penguins.csv'));
  const created = await valid.call<SessionInfo>('createSession', iris.id, ...sessionArgs({ epochs: 3, name: 'fuzz target' }));
  const done = valid.event('done', (e) => e.run === created.run);
  await valid.call('start', created.run);
  expect((await done)['status']).toBe('finished');
  // The worker has gone once the run is no longer a session.
  await withTimeout((async () => {
    while ((await valid.call<SessionInfo[]>('sessions')).length > 0) await new Promise((r) => setTimeout(r, 20));
  })(), 'the training process to end');
  const model = await valid.call<ModelHandle>('openRunModel', created.run);
  const modelFile = join(home, 'runs', created.run, 'model.json');
  copyFileSync(modelFile, join(outside, 'model.json'));
  world = {
    home, outside, examples: examplesDir(), runs: [created.run], datasets: [iris.id, penguins.id], models: [model.id],
    columns: readFileSync(join(examplesDir(), 'iris.csv'), 'utf8').split('\n')[0]!.split(','),
    modelBytes: new Uint8Array(readFileSync(modelFile)),
  };
  outsideBefore = tree(parent, [home]);
  examplesBefore = tree(examplesDir());
}, 120_000);

afterAll(async () => {
  await valid?.close();
  await server?.close();
  backend?.shutdown();
  closeAllPorts();
  rmSync(parent, { recursive: true, force: true });
  const ws = total(counts.ws);
  const ipc = total(counts.ipc);
  const outcome = passed.ws && passed.ipc ? 'all answered, host alive' : 'NOT all answered as they should be (see the failures)';
  console.log(`fuzz: ${ws.toLocaleString('en-US')} WebSocket messages, ${ipc.toLocaleString('en-US')} IPC calls, ${outcome}`);
  console.log(`fuzz kinds (WebSocket): ${describeCounts(counts.ws)}`);
  console.log(`fuzz kinds (IPC): ${describeCounts(counts.ipc)}`);
});

describe('fuzz: the WebSocket', () => {
  it('knows every method of the contract', () => {
    expect([...METHODS].sort()).toEqual(Object.keys(labMethods).sort());
  });

  it(`answers ${WS_FRAMES.toLocaleString('en-US')} seeded random and malformed messages, each once, in plain words`, async () => {
    const fuzz = await FuzzConnection.connect(server.port, server.token, adoptModels(world));
    const frames = new FrameGenerator(new Generator(WS_SEED, world, 'ws'));
    const methods = new Set<unknown>();
    let sent = 0;
    while (sent < WS_FRAMES) {
      const batch = Array.from({ length: Math.min(MAX_CALLS_IN_FLIGHT, WS_FRAMES - sent) }, () => frames.frame());
      await fuzz.batch(batch);
      for (const frame of batch) {
        tally(counts.ws, frame.kind);
        if (typeof frame.data === 'string') methods.add((/"method":("[^"]*")/.exec(frame.data) ?? [])[1]);
      }
      sent += batch.length;
    }

    // Messages at the size limits, one at a time: they cost memory.
    const PLACEHOLDER = 1_000_000_000;
    const notes = (text: string) => wireText({ id: PLACEHOLDER, method: 'setRunNotes', args: [world.runs[0], text] });
    const padTo = (bytes: number) => 'x'.repeat(bytes - notes('').length);
    const big = new Uint8Array(Math.floor(MAX_CALL_BYTES * 0.8)).map((_, i) => (i * 7919) % 251);
    // Written with a placeholder id as long as the real ones, so that the sizes are exact.
    let id = PLACEHOLDER;
    const size = (data: string, says: RegExp | undefined, mustFail = true): Frame => {
      const frameId = ++id;
      return { kind: 'size', data: data.replace(`{"id":${PLACEHOLDER},`, `{"id":${frameId},`), binary: false, id: frameId, mustFail, ...(says ? { says } : {}) };
    };
    const tooBig = /may be at most 1 MB; only an upload may be larger/;
    for (const frame of [
      size(notes(padTo(MAX_CALL_BYTES)), /Invalid arguments for setRunNotes/),
      size(notes(padTo(MAX_CALL_BYTES + 1)), tooBig),
      // Fewer characters than the limit, more bytes: the limit is in bytes.
      size(notes('€'.repeat(Math.ceil(MAX_CALL_BYTES / 2.5))), tooBig),
      size(wireText({ id: PLACEHOLDER, method: 'getRun', args: ['a'.repeat(MAX_CALL_BYTES)] }), tooBig),
      size(wireText({ id: PLACEHOLDER, method: 'getRun', args: [new Deep((MAX_CALL_BYTES - 100) / 2, 'array')] }), /Invalid arguments for getRun/),
      size(wireText({ id: PLACEHOLDER, method: 'inspectDataset', args: [world.datasets[0], new Deep(Math.floor((MAX_CALL_BYTES - 100) / 6), 'object')] }), /Invalid arguments for inspectDataset/),
      size(wireText({ id: PLACEHOLDER, method: 'inspectDataset', args: [world.datasets[0], Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 1]))] }), /Invalid arguments for inspectDataset/),
      size(wireText({ id: PLACEHOLDER, method: 'version', args: Array.from({ length: 16 }, () => 'v'.repeat(60_000)) }), /Invalid arguments for version/),
      size(wireText({ id: PLACEHOLDER, method: 'uploadDataset', args: ['big.csv', big] }), undefined, false),
      size(wireText({ id: PLACEHOLDER, method: 'uploadModel', args: ['big.onnx', big] }), undefined, false),
    ]) {
      await fuzz.batch([frame]);
      tally(counts.ws, frame.kind);
    }

    expect(fuzz.problems.slice(0, 20)).toEqual([]);
    expect(METHODS.filter((m) => !methods.has(JSON.stringify(m)))).toEqual([]);
    // Exactly one answer each: the connection hears no more than it was sent (events aside).
    const answers = fuzz.nullReplies.length + [...fuzz.byId.values()].reduce((n, replies) => n + replies.length, 0);
    expect(answers).toBe(total(counts.ws));
    expect([...fuzz.byId.entries()].filter(([, replies]) => replies.length > 1)).toEqual([]);
    expect(fuzz.ws.readyState).toBe(WebSocket.OPEN);
    await fuzz.close();
    passed.ws = true;
  });

  it('closes a connection that sends text that is not UTF-8, and serves the others', async () => {
    for (const bytes of [[0xff], [0xc3, 0x28], [0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]]) {
      const fuzz = await FuzzConnection.connect(server.port, server.token);
      const closed = new Promise<number>((res) => fuzz.ws.once('close', (code) => res(code)));
      fuzz.ws.send(Buffer.from(bytes), { binary: false });
      expect(await withTimeout(closed, 'the close')).toBe(1007);
      tally(counts.ws, 'not-utf-8');
    }
    expect(await valid.call('version')).toBe(ENGINE_VERSION);
  });

  it('serves a valid client afterwards: it lists the runs and opens the iris example', async () => {
    const client = await WireClient.connect(server);
    const listed = await client.call<{ runs: RunListItem[] }>('listRuns');
    expect(listed.runs.map((r) => r.id)).toContain(world.runs[0]);
    const iris = await client.call<DatasetHandle>('openExample', 'iris');
    expect(iris.rows).toBe(150);
    await client.close();
  });
});

describe('fuzz: the Electron IPC handler', () => {
  let ipc: LabIpc;
  let desktop: LabBackend;
  let call: MockInstance<LabBackend['call']>;
  let win: FakeBrowserWindow;
  const prefix = "Error invoking remote method 'lab:call': Error: ";

  async function labCall(method: unknown, args: unknown): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
    try {
      return { ok: true, value: await ipcMain.invoke(ipcEvent(win.webContents), LAB_CALL, method, args) };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }

  beforeAll(async () => {
    // As the desktop app builds its lab (main/electron/index.ts), on the same lab folder.
    desktop = new LabBackend(home, nodeWorkerLauncher(builtWorker));
    call = vi.spyOn(desktop, 'call');
    ipc = registerLabIpc(desktop);
    win = new FakeBrowserWindow();
    ipc.trust(win as unknown as BrowserWindow);
  });

  afterAll(() => {
    ipc?.dispose();
    desktop?.shutdown();
  });

  it(`refuses ${IPC_CALLS.toLocaleString('en-US')} seeded random and malformed calls in plain words, without reaching the lab`, async () => {
    const iris = await labCall('openExample', ['iris']);
    const model = await labCall('openRunModel', [world.runs[0]]);
    if (!iris.ok || !model.ok) throw new Error('the desktop lab could not open the fuzz targets');
    const ipcWorld: FuzzWorld = { ...world, datasets: [(iris.value as DatasetHandle).id], models: [(model.value as ModelHandle).id] };
    const generator = new Generator(IPC_SEED, ipcWorld, 'ipc');
    const adopt = adoptModels(ipcWorld);
    const problems: string[] = [];
    const methods = new Set<unknown>();
    for (let i = 0; i < IPC_CALLS; i++) {
      const fuzzed = generator.call();
      methods.add(fuzzed.method);
      const method = asValue(fuzzed.method);
      const args = asValue(fuzzed.args);
      const before = call.mock.calls.length;
      const answer = await labCall(method, args);
      const reached = call.mock.calls.length > before;
      tally(counts.ipc, fuzzed.kind);
      const what = () => `${fuzzed.kind} ${show(fuzzed.method).slice(0, 60)} ${show(fuzzed.args).slice(0, 160)} → ${JSON.stringify(answer).slice(0, 300)}`;
      if (fuzzed.invalid && reached) problems.push(`reached the lab: ${what()}`);
      // No path was chosen in a dialog or dropped: none may be opened.
      if ((method === 'openDatasetPath' || method === 'openModelPath') && (reached || answer.ok)) problems.push(`opened a path nobody approved: ${what()}`);
      if (answer.ok) {
        if (fuzzed.mustFail) problems.push(`answered with a result: ${what()}`);
        adopt(answer.value);
        continue;
      }
      if (!answer.message.startsWith(prefix)) problems.push(`not a plain Error: ${what()}`);
      const message = answer.message.slice(prefix.length);
      const raw = rawInternals(message);
      if (raw) problems.push(`${raw}: ${what()}`);
      if (fuzzed.invalid && !REFUSED_AT_THE_DOOR.test(message) && !NOT_APPROVED.test(message)) problems.push(`not refused by the contract: ${what()}`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(METHODS.filter((m) => !methods.has(m))).toEqual([]);
    passed.ipc = true;
  });

  it('still answers a valid call afterwards', async () => {
    expect(await labCall('version', [])).toEqual({ ok: true, value: ENGINE_VERSION });
    const listed = await labCall('listRuns', []);
    expect(listed.ok && (listed.value as { runs: RunListItem[] }).runs.map((r) => r.id)).toContain(world.runs[0]);
    const iris = await labCall('openExample', ['iris']);
    expect(iris.ok && (iris.value as DatasetHandle).rows).toBe(150);
  });
});

describe('fuzz: afterwards', () => {
  it('wrote nothing outside the lab folder, and only what the lab writes inside it', () => {
    expect(tree(parent, [home])).toEqual(outsideBefore);
    expect(tree(examplesDir())).toEqual(examplesBefore);
    expect(mustNotAppear.filter((path) => existsSync(path))).toEqual(appearedBefore);
    expect(existsSync(repoRoot)).toBe(true);

    expect(readdirSync(home).sort()).toEqual(['datasets', 'runs']);
    for (const name of readdirSync(join(home, 'runs'))) {
      expect(name).toMatch(/^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$/);
      expect(lstatSync(join(home, 'runs', name)).isDirectory()).toBe(true);
    }
    for (const name of readdirSync(join(home, 'datasets'))) {
      const folder = join(home, 'datasets', name);
      expect(name).toMatch(/^([0-9a-f]{16}|examples)$/);
      expect(lstatSync(folder).isDirectory(), `datasets/${name} is a folder`).toBe(true);
      for (const file of readdirSync(folder)) {
        expect(lstatSync(join(folder, file)).isFile(), `datasets/${name}/${file} is a file`).toBe(true);
        expect(file).not.toMatch(/^\.+$/);
      }
    }
  });

  it('left Object.prototype as it was', () => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(protoBefore);
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(Object.getOwnPropertyNames(Array.prototype)).toEqual(arrayProtoBefore);
    expect(([] as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
