// `npm start`: launch the desktop app; where there is no Electron runtime, say so in one line and start the
// same lab in a browser instead (`nnlab serve --open`: its address on the first line of stdout).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const require = createRequire(import.meta.url);

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs a child to its end, and this script's exit code is the child's. */
function follow(child) {
  // Ctrl-C reaches the whole process group by itself; a plain kill of this script is passed on.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const binary = electronBinary();
if (!binary) {
  console.error(
    'The Electron runtime is not installed here (`node node_modules/electron/install.js` downloads it), so the lab opens in a web browser instead (`nnlab serve`).',
  );
  follow(spawn(process.execPath, [join(root, 'bin', 'nnlab.js'), 'serve', '--open', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' }));
} else {
  startDesktop(binary);
}

function startDesktop(binary) {
  const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  // electron-vite rereads path.txt itself; handing it the binary keeps both lookups in agreement.
  follow(spawn(
    process.execPath,
    [electronVite, 'preview', '--config', 'electron.config.ts', ...process.argv.slice(2)],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_EXEC_PATH: binary } },
  ));
}
