import { homedir } from 'node:os';
import { join } from 'node:path';

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
