import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempHome } from '../support/cli';
import { rawGet, startServe, type ServeProcess } from './helpers';

const home = tempHome();
let server: ServeProcess;

beforeAll(async () => {
  server = await startServe(['--port', '0', '--home', home.dir]);
});

afterAll(async () => {
  await server?.stop();
  home.cleanup();
});

const asset = (ext: string): string => {
  const name = readdirSync(join(repoRoot, 'out', 'renderer', 'assets')).find((f) => f.endsWith(ext));
  if (!name) throw new Error(`the renderer build has no ${ext} asset`);
  return `/assets/${name}`;
};

describe('nnlab serve over HTTP', () => {
  it('prints its address, with a long random token, as the first line of stdout', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32,}$/);
    expect(server.port).toBeGreaterThan(0);
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves the page with the token, with strict security headers and the token cookie', async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:${server.port}`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`=${server.token}`);
    for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/']) expect(cookie).toContain(attribute);
    expect(await response.text()).toContain('<div id="app">');
    // /index.html is the same page.
    expect((await fetch(`http://127.0.0.1:${server.port}/index.html?token=${server.token}`)).status).toBe(200);
  });

  it('refuses every request without the right token with 403', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const wrong = server.token.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    for (const path of ['/', '/index.html', asset('.js'), '/no-such-file']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(403);
      expect((await fetch(`${base}${path}?token=${wrong}`)).status, path).toBe(403);
      expect((await fetch(`${base}${path}?token=${server.token.slice(0, 32)}`)).status, path).toBe(403);
    }
    const refused = await fetch(`${base}/`);
    expect(refused.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('serves assets with the token in the query or in the cookie, with their MIME types', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const js = await fetch(`${base}${asset('.js')}?token=${server.token}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('set-cookie')).toBeNull();
    const cookie = `nnlab_token_${server.port}=${server.token}`;
    const css = await fetch(`${base}${asset('.css')}`, { headers: { Cookie: cookie } });
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('content-security-policy')).toContain('connect-src');
    // A cookie for another port's lab, or with a wrong token, does not count.
    expect((await fetch(`${base}${asset('.css')}`, { headers: { Cookie: `nnlab_token_1=${server.token}` } })).status).toBe(403);
    expect((await fetch(`${base}${asset('.css')}`, { headers: { Cookie: `nnlab_token_${server.port}=${'0'.repeat(64)}` } })).status).toBe(403);
  });

  it('does not serve the page on the cookie alone: the page must carry ?token=', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { Cookie: `nnlab_token_${server.port}=${server.token}` } });
    expect(response.status).toBe(403);
  });

  it('answers 404 for unknown paths and directories, and 405 for other methods', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/missing.js?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${base}/assets?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${base}/assets/?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${base}/?token=${server.token}`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('answers HEAD with the headers only', async () => {
    const response = await rawGet(server.port, `/?token=${server.token}`, {}, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toBe('');
  });

  it('refuses a Host header other than 127.0.0.1:PORT or localhost:PORT (DNS rebinding) with 403', async () => {
    const path = `/?token=${server.token}`;
    expect((await rawGet(server.port, path, { Host: `localhost:${server.port}` })).status).toBe(200);
    for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`, `[::1]:${server.port}`]) {
      expect((await rawGet(server.port, path, { Host: host })).status, host).toBe(403);
    }
  });

  it('keeps every spelling of ".." inside the bundle', async () => {
    const token = `?token=${server.token}`;
    const attempts = [
      '/../package.json',
      '/../../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/%2E%2E/package.json',
      '/..%2fpackage.json',
      '/%2e%2e%2fpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/..%5cpackage.json',
      '/%252e%252e/package.json',
      '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e%2f%2e%2e%2fmain%2fmain%2fcli.js',
      '/%00index.html',
      '/%c0%ae%c0%ae/package.json',
      '//etc/passwd',
    ];
    for (const path of attempts) {
      const response = await rawGet(server.port, `${path}${token}`);
      expect([400, 403, 404], path).toContain(response.status);
      expect(response.body, path).not.toContain('"name": "nnlab"');
      expect(response.body, path).not.toContain('root:');
    }
    // Paths that are not origin-form are refused too.
    expect([400, 403, 404]).toContain((await rawGet(server.port, `http://127.0.0.1:${server.port}/../package.json${token}`)).status);
  });
});
