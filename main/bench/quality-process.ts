import { spawn } from 'node:child_process';

/**
 * Runs a command to its end without blocking, so two can run side by side: resolves with its stdout, or
 * rejects with the last line it wrote to stderr.
 */
export function runProcess(command: string, args: string[], what = args[0] ?? command): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', (error) => reject(new Error(`${what} could not start: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${what} failed: ${lastWords(stderr) || `exit code ${code}`}`));
    });
  });
}

/** What a failed command last said: a usage error from its first line on (it may go on in a hint), else the last line (a traceback's). */
function lastWords(stderr: string): string {
  const lines = stderr.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  const usage = lines.findIndex((l) => l.startsWith('error: '));
  return usage >= 0 ? lines.slice(usage).join(' ') : lines.pop() ?? '';
}

/** The last line of `stdout` that is a JSON object, parsed. */
export function lastJsonLine<T>(stdout: string, what: string): T {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`${what} printed no JSON result.`);
  return JSON.parse(line) as T;
}

/** Maps `items` through `work`, at most `limit` at a time, keeping the order of `items` in the results. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
