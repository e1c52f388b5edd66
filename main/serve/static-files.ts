import { appPath } from '../app-paths';
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/**
 * The built renderer: out/renderer next to the built command line (out/main/cli.js, or a chunk under
 * out/main/), or in out/ when running from source (main/serve).
 */
export function defaultRendererDir(): string {
  return appPath('out/renderer/');
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type AssetLookup =
  | { kind: 'file'; path: string; size: number }
  | { kind: 'bad-request' }
  | { kind: 'not-found' };

/**
 * Maps the raw path of a request (still percent-encoded, without its query) to a regular file inside
 * `root`, or says why not. Decoding comes first and the containment check last, on the resolved path
 * and again on the real path, so no spelling of "..", encoded or not, and no symbolic link leaves the bundle.
 */
export async function findAsset(root: string, rawPath: string): Promise<AssetLookup> {
  if (!rawPath.startsWith('/')) return { kind: 'bad-request' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad-request' };
  }
  if (decoded.includes('\0')) return { kind: 'bad-request' };
  if (decoded === '/') decoded = '/index.html';
  const base = resolve(root);
  const path = resolve(base, `.${decoded}`);
  if (!path.startsWith(base + sep)) return { kind: 'not-found' };
  try {
    const [real, realBase] = await Promise.all([realpath(path), realpath(base)]);
    if (!real.startsWith(realBase + sep)) return { kind: 'not-found' };
    const info = await stat(real);
    if (!info.isFile()) return { kind: 'not-found' };
    return { kind: 'file', path: real, size: info.size };
  } catch {
    return { kind: 'not-found' };
  }
}
