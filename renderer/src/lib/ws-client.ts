import type { LabClient, LabEvent, LabMethod } from '../../../common/lab-api';
import { z } from 'zod';
import { CLOSE_TOO_BIG, MAX_MESSAGE_BYTES, WIRE_PATH, wireEventSchema, wireResults } from '../../../common/wire';

/**
 * The lab over `nnlab serve`'s WebSocket, for the page when it runs in an ordinary browser (the desktop
 * app uses its preload bridge instead). Wire protocol: main/serve/wire.ts. Kept free of DOM-only types
 * so the Node test suite can drive it with the `ws` package's WebSocket.
 */

/** The part of a browser WebSocket this client uses. */
interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketConstructor = new (url: string) => SocketLike;

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface WsClientOptions {
  /** Defaults to ws://<this page's host>/ws?token=<the token in this page's address>. */
  url?: string;
  /** Defaults to the browser's WebSocket. */
  WebSocket?: SocketConstructor;
  /** Wait before the first reconnection attempt, doubled after each failure up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Told whenever the connection opens, drops or is closed for good. */
  onStatus?: (status: ConnectionStatus) => void;
}

export interface WsLabClient extends LabClient {
  readonly status: ConnectionStatus;
  /** Closes the connection for good; calls still waiting fail. */
  close(): void;
}

const OPEN = 1;

interface Pending {
  method: LabMethod;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Outgoing {
  id: number;
  text: string;
  pending: Pending;
}

interface Place {
  host: string;
  protocol: string;
  search: string;
}

/** The address of the lab's WebSocket for the page at `place` (a browser's `location`). */
export function labSocketUrl(place: Place): string {
  const token = new URLSearchParams(place.search).get('token') ?? '';
  const scheme = place.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${place.host}${WIRE_PATH}?token=${encodeURIComponent(token)}`;
}

export function connectLab(options: WsClientOptions = {}): WsLabClient {
  const env = globalThis as unknown as { location?: Place; WebSocket?: SocketConstructor };
  const url = options.url ?? (env.location ? labSocketUrl(env.location) : undefined);
  const Socket = options.WebSocket ?? env.WebSocket;
  if (!url) throw new Error('connectLab needs a url outside a browser page.');
  if (!Socket) throw new Error('This browser has no WebSocket.');
  const initialDelay = options.initialDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;

  const listeners = new Set<(event: LabEvent) => void>();
  const pending = new Map<number, Pending>();
  /** Requests made while the connection was down, sent when it opens. */
  let queue: Outgoing[] = [];
  let socket: SocketLike | null = null;
  let status: ConnectionStatus = 'connecting';
  let nextId = 1;
  let delay = initialDelay;
  let everOpened = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const setStatus = (next: ConnectionStatus) => {
    if (status === next) return;
    status = next;
    options.onStatus?.(next);
  };

  const deliver = (event: LabEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('A lab event listener failed:', error);
      }
    }
  };

  const open = () => {
    timer = null;
    const ws = new Socket(url);
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      const reconnected = everOpened;
      everOpened = true;
      delay = initialDelay;
      setStatus('open');
      const waiting = queue;
      queue = [];
      for (const item of waiting) transmit(ws, item);
      // Events may have been missed while the connection was down: tell listeners to look again.
      if (reconnected) deliver({ type: 'runs-changed' });
    };
    ws.onmessage = (event) => {
      if (socket === ws && typeof event.data === 'string') receive(event.data);
    };
    ws.onerror = () => {
      // A close event follows, which is where reconnection happens.
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      const reason = event.code === CLOSE_TOO_BIG
        ? `A message was larger than the ${MAX_MESSAGE_BYTES / 1024 / 1024} MB the lab accepts; the connection was reset.`
        : 'The connection to the lab was lost before it answered; try again.';
      // Requests already sent may or may not have run: they fail rather than run twice.
      for (const [id, waiter] of pending) {
        if (queue.some((item) => item.id === id)) continue;
        pending.delete(id);
        waiter.reject(new Error(reason));
      }
      if (status === 'closed') return;
      setStatus('reconnecting');
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, maxDelay);
    };
  };

  const transmit = (ws: SocketLike, item: Outgoing) => {
    try {
      ws.send(item.text);
    } catch (error) {
      pending.delete(item.id);
      item.pending.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const receive = (text: string) => {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      console.error('The lab sent a message that is not JSON; it was ignored.');
      return;
    }
    if (!isObject(message)) return;
    if ('event' in message) {
      const event = wireEventSchema.safeParse(message.event);
      if (event.success) deliver(event.data as LabEvent);
      else console.error('The lab sent an event this page cannot read; it was ignored.');
      return;
    }
    const id = message.id;
    if (typeof id !== 'number') {
      if (isObject(message.error) && typeof message.error.message === 'string') console.error(`The lab refused a message: ${message.error.message}`);
      return;
    }
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    if ('error' in message) {
      const error = isObject(message.error) && typeof message.error.message === 'string' ? message.error.message : 'The lab reported an error.';
      waiter.reject(new Error(error));
    } else {
      const schema: z.ZodType | null = wireResults[waiter.method];
      const result = schema ? schema.safeParse(message.result) : { success: true as const, data: message.result };
      if (result.success) waiter.resolve(result.data);
      else waiter.reject(new Error(`The lab's answer to ${waiter.method} could not be read (${result.error.issues[0]?.message ?? 'unexpected shape'}).`));
    }
  };

  const call = (method: LabMethod, args: unknown[]): Promise<unknown> => {
    if (status === 'closed') return Promise.reject(new Error('The connection to the lab is closed.'));
    const id = nextId++;
    let text: string;
    try {
      text = JSON.stringify({ id, method, args: args.map(encodeArg) });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    // Base64 text is ASCII, so its length is its size in bytes.
    if (text.length > MAX_MESSAGE_BYTES) {
      return Promise.reject(new Error(`This is too large to send to the lab: ${Math.ceil(text.length / 1024 / 1024)} MB encoded, over the ${MAX_MESSAGE_BYTES / 1024 / 1024} MB limit.`));
    }
    return new Promise((resolve, reject) => {
      const item: Outgoing = { id, text, pending: { method, resolve, reject } };
      pending.set(id, item.pending);
      if (socket && socket.readyState === OPEN) transmit(socket, item);
      else queue.push(item);
    });
  };

  open();

  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const handle = new ConnectionHandle(
    () => status,
    (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    () => {
      if (status === 'closed') return;
      setStatus('closed');
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const ws = socket;
      socket = null;
      ws?.close(1000, 'closed by the page');
      for (const [, waiter] of pending) waiter.reject(new Error('The connection to the lab is closed.'));
      pending.clear();
      queue = [];
    },
  );
  // Every other property is a method of the contract, sent as it is: the lab checks the name and the
  // arguments, so this client need not change when the contract gains a method.
  return new Proxy(handle, {
    get(target, property) {
      if (typeof property !== 'string' || property in target || NOT_METHODS.has(property)) return Reflect.get(target, property);
      let method = methods.get(property);
      if (!method) {
        // Optional arguments left out arrive as undefined; JSON would send them as null, which no schema allows.
        method = (...args: unknown[]) => {
          while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
          return call(property as LabMethod, args);
        };
        methods.set(property, method);
      }
      return method;
    },
  }) as unknown as WsLabClient;
}

/** Names that code asks of any object (await looks for then, JSON for toJSON): they are never lab methods. */
const NOT_METHODS = new Set(['then', 'catch', 'finally', 'toJSON', 'constructor', 'valueOf', 'toString']);

/** The non-method part of the client; a class, so reactive state wrappers leave it alone. */
class ConnectionHandle {
  readonly #readStatus: () => ConnectionStatus;
  readonly subscribe: (listener: (event: LabEvent) => void) => () => void;
  readonly close: () => void;

  constructor(readStatus: () => ConnectionStatus, subscribe: (listener: (event: LabEvent) => void) => () => void, close: () => void) {
    this.#readStatus = readStatus;
    this.subscribe = subscribe;
    this.close = close;
  }

  get status(): ConnectionStatus {
    return this.#readStatus();
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Bytes go as {"$bytes": base64}; everything else as JSON. */
function encodeArg(arg: unknown): unknown {
  return arg instanceof Uint8Array ? { $bytes: toBase64(arg) } : arg;
}

export function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  const parts: string[] = [];
  // A multiple of 3, so every chunk encodes without padding except the last.
  const chunk = 3 * 8192;
  for (let at = 0; at < bytes.length; at += chunk) {
    parts.push(btoa(String.fromCharCode(...bytes.subarray(at, at + chunk))));
  }
  return parts.join('');
}
