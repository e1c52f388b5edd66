import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatasetHandle, SessionInfo } from '../../common/lab-api';
import { RunStore } from '../../main/store/run-store';
import { sessionArgs } from '../support/settings';
import { dataset, spawnCli, tempHome } from '../support/cli';
import { startServe, withTimeout, WireClient, type ServeProcess } from './helpers';

const home = tempHome();
const running: ServeProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop('SIGKILL')));
  home.cleanup();
});

async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const server = await startServe(args, env);
  running.push(server);
  return server;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('nnlab serve: starting and stopping', () => {
  it('stops cleanly on SIGTERM mid-training: exit code 0, the worker ended, the run kept and not left "training"', async () => {
    const server = await serve(['--port', '0', '--home', home.dir]);
    const client = await WireClient.connect(server);
    const bytes = readFileSync(dataset('iris.csv'));
    const handle = await client.call<DatasetHandle>('uploadDataset', 'iris.csv', { $bytes: bytes.toString('base64') });
    const { run } = await client.call<SessionInfo>('createSession', handle.id, ...sessionArgs({ epochs: 1_000_000, earlyStop: null }));
    await client.call('start', run);
    await client.event('progress', (e) => e.run === run);
    const pid = (await new RunStore(home.dir).get(run)).pid;
    expect(pid).toEqual(expect.any(Number));

    const closed = withTimeout(new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code))), 'the WebSocket to close');
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(await closed).toBe(1001);
    expect(alive(pid!)).toBe(false);
    const record = await new RunStore(home.dir).get(run);
    expect(record.status).not.toBe('training');
    expect(record.pid).toBeNull();
    expect(server.stderr()).not.toMatch(/\n\s+at /);
  });

  it('stops cleanly on SIGINT (Ctrl-C)', async () => {
    const server = await serve(['--port', '0', '--home', home.dir]);
    expect(await server.stop('SIGINT')).toBe(0);
  });

  it('takes --home from NNLAB_HOME when not given, and sees runs made by nnlab train', async () => {
    const other = mkdtempSync(join(tmpdir(), 'nnlab-serve-home-'));
    try {
      expect(spawnCli(['train', dataset('xor.csv'), '--epochs', '5', '--json', '--home', other]).code).toBe(0);
      const server = await serve(['--port', '0'], { NNLAB_HOME: other });
      const client = await WireClient.connect(server);
      const { runs } = await client.call<{ runs: { status: string }[] }>('listRuns');
      expect(runs.map((r) => r.status)).toEqual(['finished']);
      await client.close();
      expect(await server.stop()).toBe(0);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('gives every launch a different token', async () => {
    const a = await serve(['--port', '0', '--home', home.dir]);
    const b = await serve(['--port', '0', '--home', home.dir]);
    expect(a.token).not.toBe(b.token);
    expect(a.port).not.toBe(b.port);
    // One launch's token opens nothing on the other.
    expect((await fetch(`http://127.0.0.1:${b.port}/?token=${a.token}`)).status).toBe(403);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('says plainly when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = spawnCli(['serve', '--port', String(port), '--home', home.dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^nnlab: port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('refuses a port that is not a port', () => {
    const result = spawnCli(['serve', '--port', '70000', '--home', home.dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/expected a port/);
  });

  it('treats a browser that cannot be opened as a note, and keeps serving', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'nnlab-no-browser-'));
    try {
      // No xdg-open, open or cmd on this PATH.
      const server = await serve(['--port', '0', '--home', home.dir, '--open'], { PATH: empty });
      await withTimeout((async () => {
        while (!/note: could not open a browser/.test(server.stderr())) await new Promise((r) => setTimeout(r, 20));
      })(), 'the note about the browser');
      expect((await fetch(server.url)).status).toBe(200);
      expect(await server.stop()).toBe(0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
