import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const found = new Map<string, string | null>();

/** Every python3 on PATH, in PATH's order, each real file once: the first is not always the one with the packages. */
export function pythonsOnPath(path = process.env.PATH ?? ''): string[] {
  const names = process.platform === 'win32' ? ['python3.exe', 'python.exe'] : ['python3'];
  const seen = new Set<string>();
  const pythons: string[] = [];
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        const real = realpathSync(candidate);
        if (seen.has(real)) continue;
        seen.add(real);
        pythons.push(candidate);
      } catch {
        // Not there, or not runnable.
      }
    }
  }
  return pythons;
}

/** The first python3 on PATH that imports every one of `modules`, or null; asked once per PATH. */
export function pythonWith(...modules: string[]): string | null {
  const path = process.env.PATH ?? '';
  const key = `${path}\0${modules.join(',')}`;
  if (!found.has(key)) {
    const code = modules.map((m) => `import ${m}`).join('; ');
    found.set(key, pythonsOnPath(path).find((python) => spawnSync(python, ['-c', code], { encoding: 'utf8', timeout: 60_000 }).status === 0) ?? null);
  }
  return found.get(key)!;
}
