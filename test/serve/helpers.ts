import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { wireServerMessageSchema } from '../../common/wire';
import { repoRoot } from '../support/cli';

/** Generous limits: they only keep a broken server from hanging the suite, and never measure speed. */
const SAFETY_MS = 60_000;

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  stderr: () => string;
  /** SIGTERM, then the exit code (SIGKILL only if it does not end within the safety limit). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the built `nnlab serve` as a user would and reads the address from the first line of stdout. */
export async function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  if (!existsSync(join(repoRoot, 'out', 'main', 'cli.js'))) throw new Error('nnlab is not built: run `npm run build` (npm test does it first).');
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'nnlab.js'), 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errText = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { errText += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const first = await withTimeout(new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`nnlab serve ended (code ${code}) before printing its address: ${errText}`)));
  }), 'the address line');
  const url = new URL(first);
  return {
    child,
    url: first,
    port: Number(url.port),
    token: url.searchParams.get('token') ?? '',
    stderr: () => errText,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), SAFETY_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
        lines.close();
      }
    },
  };
}

export function withTimeout<T>(promise: Promise<T>, what: string, ms = SAFETY_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP GET with the path sent exactly as given (fetch would normalise "..") and any headers, Host included. */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return withTimeout(new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  }), `GET ${path}`);
}

/** Tries a WebSocket upgrade and says how it went: 'open', or the HTTP status of the refusal. */
export function tryUpgrade(url: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return withTimeout(new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('error', (error) => reject(error));
  }), `an upgrade of ${url}`);
}

export type ServerMessage = { id: number | null; result?: unknown; error?: { message: string }; event?: { type: string; [key: string]: unknown } };

/** A test client for the wire protocol: sends raw frames or calls, checks every message against the wire schema. */
export class WireClient {
  readonly messages: ServerMessage[] = [];
  private readonly waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) throw new Error('the server sent a binary frame');
      const json: unknown = JSON.parse(String(data));
      const checked = wireServerMessageSchema.safeParse(json);
      if (!checked.success) throw new Error(`the server sent a malformed message: ${String(data).slice(0, 200)}`);
      const message = json as ServerMessage;
      this.messages.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.test(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  static async connect(server: { port: number; token: string }): Promise<WireClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { maxPayload: 0 });
    await withTimeout(new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }), 'the WebSocket to open');
    return new WireClient(ws);
  }

  /** The first message (already received or still to come) that passes `test`. */
  next(test: (m: ServerMessage) => boolean, what = 'a message'): Promise<ServerMessage> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return withTimeout(new Promise((resolve) => this.waiters.push({ test, resolve })), what);
  }

  event(type: string, test: (e: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
    return this.next((m) => m.event?.type === type && test(m.event), `a ${type} event`).then((m) => m.event!);
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** Sends a request and waits for the reply with its id. */
  request(method: string, args: unknown[]): Promise<ServerMessage> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, args }));
    return this.reply(id);
  }

  reply(id: number | null): Promise<ServerMessage> {
    return this.next((m) => m.id === id && m.event === undefined && (m.result !== undefined || m.error !== undefined), `the reply to ${id}`);
  }

  /** Calls a method and returns its result, failing on an error reply. */
  async call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    const reply = await this.request(method, args);
    if (reply.error) throw new Error(`${method} failed: ${reply.error.message}`);
    return reply.result as T;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return withTimeout(new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    }), 'the WebSocket to close');
  }
}
