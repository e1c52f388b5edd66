// Where the Electron runtime is, if it is anywhere: NNLAB_ELECTRON names a binary; else the installed
// electron package's own (undefined when its download never happened, as on a machine without internet).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

// Mirrors node_modules/electron/index.js without requiring it: that module tries
// to download the runtime when it is missing, which hangs or fails offline.
export function electronBinary() {
  const named = process.env.NNLAB_ELECTRON;
  if (named) return existsSync(named) ? named : undefined;
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

