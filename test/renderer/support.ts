import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium } from '../e2e/support/browser';

const root = fileURLToPath(new URL('./harness/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A Vite dev server for the component harness (compiles the renderer's components on request). */
export async function startHarness(): Promise<{ url: string; server: ViteDevServer }> {
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'error',
    plugins: [svelte({ configFile: false })],
    server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [repoRoot] }, hmr: false },
  });
  await server.listen();
  const address = server.httpServer!.address();
  if (!address || typeof address === 'string') throw new Error('The harness server has no port.');
  return { url: `http://127.0.0.1:${address.port}/`, server };
}

/**
 * The harness server and a Chromium for one test file (started before its tests, closed after them); `open`
 * mounts one component in a new page, and a page that raised an error fails its test when it closes.
 */
export function harnessPages(): { open(component: string, query?: Record<string, string | number>): Promise<Page> } {
  let server: ViteDevServer;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    ({ server, url } = await startHarness());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    async open(component, query = {}) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const params = new URLSearchParams({ component, ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });
      await page.goto(`${url}?${params}`);
      await page.waitForFunction(() => 'harness' in globalThis);
      page.on('close', () => expect(errors).toEqual([]));
      return page;
    },
  };
}
