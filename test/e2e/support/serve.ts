import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = new URL('../../../', import.meta.url).pathname;

export interface ServedLab {
  url: string;
  home: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the built `nnlab serve --port 0 --home <tmp>` and resolves with the address it prints first. */
export async function startServe(home = mkdtempSync(join(tmpdir(), 'nnlab-e2e-'))): Promise<ServedLab> {
  if (!existsSync(join(repoRoot, 'out', 'renderer', 'index.html'))) throw new Error('The renderer is not built: run npm run build first.');
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'nnlab.js'), 'serve', '--port', '0', '--home', home], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`nnlab serve printed no address in 20 s. stderr: ${stderr}`)), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nnlab serve exited (${code}) before printing its address. stderr: ${stderr}`));
    });
  });
  return {
    url,
    home,
    process: child,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 8000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
