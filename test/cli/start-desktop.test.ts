import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = new URL('../../', import.meta.url).pathname;

/** First `count` lines of a stream, as they arrive. */
function firstLines(stream: NodeJS.ReadableStream, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const reader = createInterface({ input: stream });
    reader.on('line', (line) => {
      lines.push(line);
      if (lines.length === count) resolve(lines);
    });
    reader.on('close', () => (lines.length < count ? reject(new Error(`the stream ended after ${lines.length} lines: ${lines.join('\n')}`)) : undefined));
  });
}

/**
 * `npm start` (scripts/start-desktop.mjs) where there is no Electron runtime: it says so in one line and
 * runs the browser host instead. Electron is made absent the way the script looks for it (an empty
 * ELECTRON_OVERRIDE_DIST_PATH), and there is no browser to open (an empty PATH).
 */
describe.sequential('npm start without an Electron runtime', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'nnlab-start-'));
  let child: ChildProcess;
  let stderr: string[];
  let address: string;

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { HOME: scratch, PATH: join(scratch, 'no-programs'), NNLAB_HOME: join(scratch, 'lab'), ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'no-electron') };
    child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start-desktop.mjs'), '--port', '0'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stderrLines = firstLines(child.stderr!, 3);
    [address] = await firstLines(child.stdout!, 1) as [string];
    stderr = await stderrLines;
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('says in one line that the desktop app cannot start, then prints the browser host\'s address', () => {
    expect(stderr[0]).toBe('The Electron runtime is not installed here (`node node_modules/electron/install.js` downloads it), so the lab opens in a web browser instead (`nnlab serve`).');
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(stderr[1]).toBe(`Serving the lab in ${join(scratch, 'lab')} to this computer only. Press Ctrl-C to stop.`);
    // No browser here: one line says so, and the lab serves on.
    expect(stderr[2]).toMatch(/^note: could not open a browser \(.+\); open the address above yourself\.$/);
  });

  it('serves the lab at that address', async () => {
    const page = await fetch(address);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>nnlab</title>');
    expect(html).toContain('rel="icon"');
  });

  it('ends the browser host with it when it is stopped', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(address)).rejects.toThrow();
  });
});
