import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

// electron-vite resolves relative paths against the working directory, and its
// renderer preset assumes src/renderer; absolute paths make the layout explicit.
const at = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      rolldownOptions: {
        // The CLI shares this build so both get the same externals; it must stay
        // free of electron imports because it runs under plain Node.
        input: {
          index: at('main/electron/index.ts'),
          cli: at('main/cli/nnlab.ts'),
          // One training session per process: forked by the CLI and browser host, utilityProcess in Electron.
          worker: at('main/worker/training-worker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    // A sandboxed preload cannot load ESM or node_modules: one self-contained CJS file.
    build: {
      outDir: at('out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    // Relative URLs let the same bundle be served from app:// or any HTTP path.
    base: './',
    // Options live here rather than in a svelte.config.js: Svelte 5 compiles TS itself.
    plugins: [svelte({ configFile: false })],
    build: {
      outDir: at('out/renderer'),
      // The bundle is also served to ordinary browsers (nnlab serve), not only
      // to Electron's Chromium, so do not target the newest Chrome.
      target: 'es2022',
      rolldownOptions: { input: at('renderer/index.html') },
    },
  },
});
