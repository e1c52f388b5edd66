import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabEvent } from '../../common/lab-api';
import { startLabServer, type LabHost, type LabServer } from '../../main/serve/lab-server';
import { connectLab, labSocketUrl, toBase64, type SocketConstructor, type WsLabClient } from '../../renderer/src/lib/ws-client';
import { withTimeout } from './helpers';

/**
 * The browser client (renderer/src/lib/ws-client.ts), driven in Node through the `ws` package's WebSocket,
 * against the real server code in this process with a stand-in lab, so connections can be cut and resumed.
 */

class FakeLab implements LabHost {
  readonly calls: { method: string; args: unknown }[] = [];
  private readonly listeners = new Set<(event: LabEvent) => void>();
  /** Calls to 'hang' never answer (until the connection drops). */
  async call(method: string, args: unknown): Promise<unknown> {
    this.calls.push({ method, args });
    switch (method) {
      case 'version': return '9.9.9';
      case 'echo': return args;
      case 'fail': throw new Error('That run does not exist.');
      case 'nothing': return undefined;
      case 'hang': return new Promise(() => {});
      case 'bytes': {
        const [bytes] = args as [Uint8Array];
        return { isUint8Array: bytes instanceof Uint8Array, length: bytes.length, sum: bytes.reduce((a, b) => a + b, 0) };
      }
      // A step's answer carries a progress message, whose traces are typed arrays, beside a stray typed array.
      case 'step': return {
        weights: new Float32Array([0.5, -1.5]),
        progress: {
          state: 'paused', epoch: 0, epochs: 5, step: 1, stepsPerEpoch: 4, samplesPerSecond: 0,
          batchSteps: new Float64Array([1, 2]), batchLosses: new Float64Array([1, Number.NaN]), loss: null, valLoss: null, learningRate: 0.1,
        },
      };
      case 'snapshot': return [{ inputs: 2, units: 1, activation: 'linear', weights: new Float32Array([0.25, Number.NaN]), bias: null }];
      default: throw new Error(`Unknown method "${method}".`);
    }
  }
  subscribe(listener: (event: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  get subscribers(): number {
    return this.listeners.size;
  }
  emit(event: LabEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

const servers: LabServer[] = [];
const clients: WsLabClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(lab: LabHost, options: { port?: number; token?: string; maxMessageBytes?: number } = {}): Promise<LabServer> {
  const server = await startLabServer({ lab, port: options.port ?? 0, ...(options.token ? { token: options.token } : {}), ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}) });
  servers.push(server);
  return server;
}

function client(server: LabServer, onStatus?: (s: string) => void): WsLabClient {
  const lab = connectLab({
    url: labSocketUrl({ host: `127.0.0.1:${server.port}`, protocol: 'http:', search: `?token=${server.token}` }),
    WebSocket: WebSocket as unknown as SocketConstructor,
    initialDelayMs: 10,
    maxDelayMs: 50,
    ...(onStatus ? { onStatus } : {}),
  });
  clients.push(lab);
  return lab;
}

/** The contract's methods, and names it does not have, as the server would see them. */
type Loose = WsLabClient & Record<string, (...args: unknown[]) => Promise<unknown>>;

function until(check: () => boolean, what: string): Promise<void> {
  return withTimeout((async () => {
    while (!check()) await new Promise((r) => setTimeout(r, 5));
  })(), what);
}

describe('the browser WebSocket client', () => {
  it('builds its address from the page: same host, /ws, the token from the query', () => {
    expect(labSocketUrl({ host: '127.0.0.1:5178', protocol: 'http:', search: '?token=abc123' })).toBe('ws://127.0.0.1:5178/ws?token=abc123');
    expect(labSocketUrl({ host: 'localhost:8080', protocol: 'https:', search: '?x=1&token=t%20t' })).toBe('wss://localhost:8080/ws?token=t%20t');
  });

  it('calls methods (queued until the socket opens) and correlates replies by id', async () => {
    const lab = new FakeLab();
    const api = client(await serve(lab)) as Loose;
    const [a, b, c] = await Promise.all([api.version(), api.echo(1, 'two', { three: 3 }), api.nothing()]);
    expect(a).toBe('9.9.9');
    expect(b).toEqual([1, 'two', { three: 3 }]);
    expect(c).toBeNull();
    expect(api.status).toBe('open');
  });

  it('rejects with Error(message) on an error reply', async () => {
    const api = client(await serve(new FakeLab())) as Loose;
    await expect(api.fail()).rejects.toThrow(new Error('That run does not exist.'));
    await expect(api.noSuchMethod()).rejects.toThrow('Unknown method "noSuchMethod".');
  });

  it('sends Uint8Array arguments as {$bytes: base64}, which reach the lab as Uint8Array', async () => {
    const lab = new FakeLab();
    const api = client(await serve(lab)) as Loose;
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    const result = await api.bytes(bytes);
    expect(result).toEqual({ isUint8Array: true, length: bytes.length, sum: bytes.reduce((x, y) => x + y, 0) });
    expect(toBase64(new Uint8Array([104, 105, 33]))).toBe('aGkh');
    expect(toBase64(new Uint8Array(0))).toBe('');
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('receives typed arrays as arrays, and progress traces as Float64Array (NaN kept)', async () => {
    const api = client(await serve(new FakeLab())) as Loose;
    const result = (await api.step('run', 1)) as unknown as { weights: number[]; progress: { batchLosses: Float64Array } };
    expect(result.weights).toEqual([0.5, -1.5]);
    expect(result.progress.batchLosses).toBeInstanceOf(Float64Array);
    expect(Number.isNaN(result.progress.batchLosses[1])).toBe(true);
  });

  it('reads answers and events back into the contract’s types by the wire schemas, whatever the keys are called', async () => {
    const lab = new FakeLab();
    const api = client(await serve(lab));
    const [layer] = await api.snapshot('run');
    expect(layer!.weights).toBeInstanceOf(Float64Array);
    expect(Array.from(layer!.weights)).toEqual([0.25, Number.NaN]);
    const heard: LabEvent[] = [];
    api.subscribe((event) => heard.push(event));
    await until(() => lab.subscribers > 0, 'the subscription');
    lab.emit({ type: 'epochs', run: 'r1', metrics: [{ epoch: 1, step: 4, learningRate: 0.1, train: { loss: Number.POSITIVE_INFINITY, accuracy: 0.5 } }] });
    await until(() => heard.length > 0, 'the epochs event');
    const event = heard[0]!;
    expect(event.type === 'epochs' && event.metrics[0]!.train).toEqual({ loss: Number.NaN, accuracy: 0.5 });
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const lab = new FakeLab();
    const api = client(await serve(lab));
    await api.version();
    const heard: LabEvent[] = [];
    const unsubscribe = api.subscribe((e) => heard.push(e));
    lab.emit({ type: 'warning', run: 'r1', message: 'careful' });
    await until(() => heard.length === 1, 'the event');
    expect(heard[0]).toEqual({ type: 'warning', run: 'r1', message: 'careful' });
    unsubscribe();
    lab.emit({ type: 'runs-changed' });
    await api.version();
    expect(heard).toHaveLength(1);
  });

  it('reconnects after the connection drops, fails calls cut off by the drop, and keeps its subscribers', async () => {
    const lab = new FakeLab();
    const first = await serve(lab);
    const statuses: string[] = [];
    const api = client(first, (s) => statuses.push(s)) as Loose;
    const heard: LabEvent[] = [];
    api.subscribe((e) => heard.push(e));
    await api.version();
    expect(lab.subscribers).toBe(1);

    const cut = api.hang();
    await until(() => lab.calls.some((c) => c.method === 'hang'), 'the call to arrive');
    const cutOff = expect(cut).rejects.toThrow(/connection to the lab was lost/);
    const { port, token } = first;
    await first.close();
    await cutOff;
    expect(api.status).toBe('reconnecting');
    // The server unsubscribed the closed connection.
    expect(lab.subscribers).toBe(0);

    // A call made while the connection is down waits for it.
    const waiting = api.version();
    const second = await serve(lab, { port, token });
    expect(await waiting).toBe('9.9.9');
    expect(api.status).toBe('open');
    expect(statuses).toEqual(['open', 'reconnecting', 'open']);
    // After a reconnection, listeners hear runs-changed (they may have missed events), then the new events.
    await until(() => heard.some((e) => e.type === 'runs-changed'), 'runs-changed after reconnecting');
    lab.emit({ type: 'done', run: 'r2', status: 'finished', message: '' });
    await until(() => heard.some((e) => e.type === 'done'), 'an event after reconnecting');
    expect(lab.subscribers).toBe(1);
    await second.close();
  });

  it('says so when a message is over the size limit, then reconnects', async () => {
    const lab = new FakeLab();
    const api = client(await serve(lab, { maxMessageBytes: 1024 })) as Loose;
    await api.version();
    await expect(api.bytes(new Uint8Array(4096))).rejects.toThrow(/larger than/);
    expect(await api.version()).toBe('9.9.9');
  });

  it('fails calls once closed, and stops reconnecting', async () => {
    const server = await serve(new FakeLab());
    const api = client(server) as Loose;
    await api.version();
    const pending = api.hang();
    api.close();
    await expect(pending).rejects.toThrow(/closed/);
    await expect(api.version()).rejects.toThrow(/closed/);
    expect(api.status).toBe('closed');
  });

  it('is not mistaken for a promise', async () => {
    const api = client(await serve(new FakeLab()));
    expect((api as unknown as { then?: unknown }).then).toBeUndefined();
    // Awaiting the client itself resolves to it rather than calling a "then" method on the lab.
    expect(await Promise.resolve(api)).toBe(api);
  });
});
