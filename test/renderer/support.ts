import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createServer, type ViteDevServer } from 'vite';

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
