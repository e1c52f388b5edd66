import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { LabEvent } from '../../common/lab-api';
import {
  cookieName, hostAllowed, newToken, originAllowed, readCookie, securityHeaders, tokenCookie, tokenMatches,
} from './guard';
import { defaultRendererDir, findAsset, mimeType } from './static-files';
import {
  encodeServerMessage, MAX_CALL_BYTES, MAX_CALLS_IN_FLIGHT, MAX_MESSAGE_BYTES, MAX_UPLOAD_BYTES, parseRequest, UPLOAD_METHODS, WIRE_PATH, type OutgoingMessage,
} from '../../common/wire';

/** What the server needs of the lab: LabBackend, or a stand-in in tests. */
export interface LabHost {
  call(method: string, args: unknown): Promise<unknown>;
  subscribe(listener: (event: LabEvent) => void): () => void;
}

export interface LabServerOptions {
  lab: LabHost;
  /** 0 takes any free port. */
  port: number;
  /** Defaults to a new random token. */
  token?: string;
  rendererDir?: string;
  maxMessageBytes?: number;
  /** Notes for the person running the server (stderr). */
  log?: (line: string) => void;
}

export interface LabServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
/** A client this far behind stops getting progress events (the next ones carry the news); replies and other events still go. */
const PROGRESS_BACKLOG_BYTES = 8 * 1024 * 1024;

/**
 * Serves the built renderer and the LabApi contract over one WebSocket, on 127.0.0.1 only. Every request
 * carries the launch's token: the page and the WebSocket in ?token=, the page's assets in ?token= or the
 * cookie set with the page.
 */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const token = options.token ?? newToken();
  const root = options.rendererDir ?? defaultRendererDir();
  const maxPayload = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const maxCallBytes = Math.min(MAX_CALL_BYTES, maxPayload);
  const log = options.log ?? (() => {});
  let port = options.port;

  const server = createServer((req, res) => {
    handleHttp(req, res).catch(() => {
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, port)) return plain(res, 403, 'Forbidden');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    const { path, query } = splitTarget(req.url ?? '');
    const isPage = path === '/' || path === '/index.html';
    const queryToken = query.get('token');
    // The page must name the token itself (it reads it from its own address); its assets may rely on the cookie.
    const allowed = tokenMatches(queryToken, token) || (!isPage && tokenMatches(readCookie(req.headers.cookie, cookieName(port)), token));
    if (!allowed) return plain(res, 403, 'Forbidden: this address needs the token that nnlab serve printed.');
    const asset = await findAsset(root, path);
    if (asset.kind === 'bad-request') return plain(res, 400, 'Bad request');
    if (asset.kind === 'not-found') return plain(res, 404, 'Not found');
    const body = await readFile(asset.path);
    const headers: Record<string, string> = {
      ...securityHeaders(port),
      'Content-Type': mimeType(asset.path),
      'Content-Length': String(body.length),
    };
    if (isPage) headers['Set-Cookie'] = tokenCookie(port, token);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
    const body = `${text}\n`;
    res.writeHead(status, {
      ...securityHeaders(port),
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      ...extra,
    });
    res.end(body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const { path, query } = splitTarget(req.url ?? '');
    if (!hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin, port)) return refuse(socket, 403, 'Forbidden');
    if (path !== WIRE_PATH) return refuse(socket, 404, 'Not Found');
    // No cookie here: a WebSocket names its token explicitly.
    if (!tokenMatches(query.get('token'), token)) return refuse(socket, 403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    let inFlight = 0;
    const send = (message: OutgoingMessage): void => {
      if (ws.readyState !== ws.OPEN) return;
      let text: string;
      try {
        text = encodeServerMessage(message);
      } catch (error) {
        if (!('id' in message)) return;
        text = encodeServerMessage({ id: message.id, error: { message: `The reply could not be sent as JSON: ${messageOf(error)}` } });
      }
      ws.send(text);
    };
    const unsubscribe = options.lab.subscribe((event) => {
      if (event.type === 'progress' && ws.bufferedAmount > PROGRESS_BACKLOG_BYTES) return;
      send({ event });
    });
    ws.on('close', unsubscribe);
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        log(`note: a browser sent a message over ${Math.round(maxPayload / 1024 / 1024)} MB; its connection was closed.`);
      }
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        send({ id: null, error: { message: 'Messages must be JSON text, not binary frames.' } });
        return;
      }
      const text = rawText(data);
      const request = parseRequest(text, decodeBase64);
      if (!request.ok) {
        send({ id: request.id, error: { message: request.message } });
        return;
      }
      if (rawLength(data) > maxCallBytes && !UPLOAD_METHODS.includes(request.method)) {
        send({ id: request.id, error: { message: `A message of this kind may be at most ${maxCallBytes / 1024 / 1024} MB; only an upload may be larger (up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB).` } });
        return;
      }
      // One window's calls are worked on a few dozen at a time, so one client cannot queue up the lab's whole day.
      if (inFlight >= MAX_CALLS_IN_FLIGHT) {
        send({ id: request.id, error: { message: `Too many calls at once from this window (${MAX_CALLS_IN_FLIGHT} are waiting for answers); send more when some are answered.` } });
        return;
      }
      inFlight++;
      options.lab.call(request.method, request.args).then(
        (result) => send({ id: request.id, result }),
        (error: unknown) => send({ id: request.id, error: { message: messageOf(error) } }),
      ).finally(() => { inFlight--; });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  server.on('error', (error) => log(`note: ${error.message}`));

  let closing: Promise<void> | null = null;
  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    close: () => {
      closing ??= closeAll();
      return closing;
    },
  };

  async function closeAll(): Promise<void> {
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    const clients = [...wss.clients];
    await Promise.all(clients.map((ws) => new Promise<void>((resolve) => {
      if (ws.readyState === ws.CLOSED) return resolve();
      ws.once('close', () => resolve());
      ws.close(1001, 'The lab is shutting down.');
      // A client that does not answer the closing handshake is cut off.
      setTimeout(() => ws.terminate(), 1000).unref();
    })));
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await stopped;
  }
}

/** The path (still percent-encoded) and query of a request target, read as they came, without normalising "..". */
function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const hash = target.indexOf('#');
  const bare = hash >= 0 ? target.slice(0, hash) : target;
  const q = bare.indexOf('?');
  return q >= 0
    ? { path: bare.slice(0, q), query: new URLSearchParams(bare.slice(q + 1)) }
    : { path: bare, query: new URLSearchParams() };
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** A message's size in bytes (its text may hold fewer characters: "€" is three bytes). */
function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.length, 0);
  return data.byteLength;
}

function decodeBase64(base64: string): Uint8Array {
  const buffer = Buffer.from(base64, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Only the message crosses to the browser: no stack, no error class. */
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
