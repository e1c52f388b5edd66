import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, type WebContents } from 'electron';

export const SCHEME = 'app';
export const HOST = 'nnlab';

/**
 * Sent with every file of the renderer (index.html also carries a meta tag, for `nnlab serve` and the dev
 * server). Only the bundle's own scripts run; no plugins, frames, forms or base-URL tricks.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Svelte and Chart.js set inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The app:// protocol handler: files of the built renderer only (rendererDir must end with a separator,
 * which the containment check relies on), each with the CSP header.
 */
export function rendererProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep;
  return async (request) => {
    const { host, pathname } = new URL(request.url);
    let file: string;
    try {
      file = join(root, decodeURIComponent(pathname));
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    // join() resolves "..", so a prefix check is enough to keep requests inside the bundle.
    if (host !== HOST || !file.startsWith(root)) return new Response('Not found', { status: 404 });
    if (file.endsWith(sep)) file = join(file, 'index.html');
    let response: Response;
    try {
      response = await net.fetch(pathToFileURL(file).href);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/**
 * The lab is a single page: any navigation, new window or webview is a bug or hostile content.
 * Applied to every WebContents the app creates.
 */
export function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
