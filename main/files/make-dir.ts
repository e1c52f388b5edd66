import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * mkdir -p, one level at a time from the nearest folder that exists. Node's own recursive mkdir never returns
 * in some special file systems (it retries forever under /proc), so a folder that cannot be made is an error
 * here, at once.
 */
export async function makeDir(path: string): Promise<void> {
  const missing: string[] = [];
  let dir = resolve(path);
  while (!(await isDir(dir))) {
    missing.push(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level);
    } catch (error) {
      // Another process may have made it meanwhile.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
