import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../main/node-runtime';

describe('the runtime that checks a JavaScript export', () => {
  it('is this process\'s own, told to run as plain Node, which in the desktop app keeps it from opening a window', () => {
    const { command, env } = nodeRuntime();
    expect(command).toBe(process.execPath);
    const run = spawnSync(command, ['-e', 'process.stdout.write(String(process.env.ELECTRON_RUN_AS_NODE) + " " + typeof require("node:fs").readFileSync)'], { env, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('1 function');
  });
});
