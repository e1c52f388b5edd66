import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder nnlab is installed in (the one holding out/, datasets/ and package.json). Built code may sit
 * in out/main/ or out/main/chunks/, source code in main/…; both are found from this file's own URL.
 */
function appRoot(): string {
  const here = import.meta.url;
  const built = here.lastIndexOf('/out/main/');
  const source = here.lastIndexOf('/main/');
  return fileURLToPath(here.slice(0, (built >= 0 ? built : source) + 1));
}

/** A file or folder of the installed app, such as "out/main/worker.js" or "datasets/". */
export function appPath(relative: string): string {
  return join(appRoot(), ...relative.split('/'));
}
