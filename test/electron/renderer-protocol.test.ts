import { mkdir, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, rendererProtocolHandler } from '../../main/electron/renderer-protocol';
import { tempDir } from './helpers';

vi.mock('electron', async () => (await import('./electron-stand-in')).electron);

let root: { dir: string; remove: () => Promise<void> };
let serve: (request: Request) => Promise<Response>;

beforeAll(async () => {
  root = await tempDir('nnlab-protocol-');
  const bundle = join(root.dir, 'renderer');
  await mkdir(join(bundle, 'assets'), { recursive: true });
  await writeFile(join(bundle, 'index.html'), '<!doctype html><title>nnlab</title>');
  await writeFile(join(bundle, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root.dir, 'secret.txt'), 'not for the page');
  await writeFile(join(root.dir, 'renderer-evil.txt'), 'a sibling sharing the prefix');
  serve = rendererProtocolHandler(bundle + sep);
});

afterAll(() => root.remove());

const get = (url: string) => serve(new Request(url));

describe('the app:// protocol', () => {
  it('serves the bundle with a strict Content-Security-Policy header', async () => {
    const response = await get('app://nnlab/index.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>nnlab</title>');
    const csp = response.headers.get('Content-Security-Policy')!;
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect((await get('app://nnlab/assets/app.js')).headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('serves index.html for the root', async () => {
    expect(await (await get('app://nnlab/')).text()).toContain('<title>nnlab</title>');
  });

  it.each([
    'app://nnlab/../secret.txt',
    'app://nnlab/%2e%2e/secret.txt',
    'app://nnlab/..%2fsecret.txt',
    'app://nnlab/..%2f..%2fsecret.txt',
    'app://nnlab/..%2frenderer-evil.txt',
    'app://nnlab/%2e%2e%2frenderer-evil.txt',
    'app://other/index.html',
    'app://nnlab/missing.js',
  ])('refuses %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toMatch(/not for the page|sharing the prefix/);
  });

  it('answers a malformed escape with 400', async () => {
    expect((await get('app://nnlab/%E0%A4%A.js')).status).toBe(400);
  });
});
