import { rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makeDir } from './files/make-dir';
import { writeProblem } from './files/write-errors';

/**
 * Where runs live when neither --home nor NNLAB_HOME says: the same per-user folder Electron gives the
 * desktop app as `userData`, so runs made by the command line show up in the app.
 */
function defaultLabHome(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'nnlab');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'nnlab');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'nnlab');
}

export function resolveLabHome(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env.NNLAB_HOME || defaultLabHome(process.platform, env);
}

/** The lab folder cannot hold runs, said in one sentence. */
export class LabHomeError extends Error {
  override readonly name = 'LabHomeError';
}

/** Why a folder cannot be made, beyond the refused writes writeProblem names. */
const CANNOT_MAKE: Record<string, string> = {
  ENOTDIR: 'part of that path is a file, not a folder',
  ENOENT: 'a folder cannot be made there',
};

/** Makes sure runs can be kept in `home`: its runs folder exists (made when missing) and a file can be written there. */
export async function checkLabHome(home: string): Promise<string> {
  try {
    await makeDir(join(home, 'runs'));
    const probe = join(home, `.nnlab-write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
    return home;
  } catch (error) {
    const why = writeProblem(error) ?? CANNOT_MAKE[(error as NodeJS.ErrnoException).code ?? ''] ?? 'it cannot be written';
    throw new LabHomeError(`The lab folder ${home} cannot be used: ${why}. Choose another with --home or NNLAB_HOME.`);
  }
}
