// `npm start`: launch the desktop app, or explain why it cannot start here.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

// Mirrors node_modules/electron/index.js without requiring it: that module tries
// to download the runtime when it is missing, which hangs or fails offline.
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(binary) ? binary : undefined;
  }
  if (!relative) return undefined;
  const binary = join(pkgDir, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (!binary) {
  console.error(
    'The Electron runtime is missing (download it with `node node_modules/electron/install.js` on a machine with internet access); `npx nnlab serve` runs the same lab in a browser.',
  );
  process.exit(1);
}

const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
// electron-vite rereads path.txt itself; handing it the binary keeps both lookups in agreement.
const child = spawn(
  process.execPath,
  [electronVite, 'preview', '--config', 'electron.config.ts', ...process.argv.slice(2)],
  { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit', env: { ...process.env, ELECTRON_EXEC_PATH: binary } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
