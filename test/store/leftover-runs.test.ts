import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../main/store/run-store';
import type { RunRecord } from '../../common/run-record';
import { lastJson, repoRoot, runCli, tempHome } from '../support/cli';

// What a run folder holds when its process was killed at an awkward moment: every such state lists truthfully
// and can be resumed (from the start when nothing was checkpointed) or removed.
const home = tempHome();
const store = new RunStore(home.dir);
afterAll(() => home.cleanup());

describe('runs left behind by a killed process', () => {
  it('a folder made but never given its run.json lists as damaged, and is removed', async () => {
    const id = '20260102-101010-0a0a';
    mkdirSync(store.runDir(id), { recursive: true });
    expect((await store.list()).damaged.map((d) => d.id)).toContain(id);
    const removed = await runCli(['runs', 'rm', id, '--home', home.dir, '--json']);
    expect(removed.code, removed.stderr.join('\n')).toBe(0);
    expect(existsSync(store.runDir(id))).toBe(false);
  });

  it('a run.json cut short is removed too', async () => {
    const id = '20260102-101010-0b0b';
    mkdirSync(store.runDir(id), { recursive: true });
    writeFileSync(join(store.runDir(id), 'run.json'), '{"schema": 2, "id": "2026');
    expect((await store.list()).damaged.find((d) => d.id === id)?.problem).toMatch(/not valid JSON/);
    expect((await runCli(['runs', 'rm', id, '--home', home.dir])).code).toBe(0);
    expect(existsSync(store.runDir(id))).toBe(false);
  });

  it('a run killed before its first checkpoint lists as interrupted and resumes from its start', async () => {
    // The seed-XOR run of 0.1.0, killed mid-training, without its checkpoint.
    const id = '20261201-214358-7940';
    cpSync(join(repoRoot, 'test', 'fixtures', 'runs-v1', id), store.runDir(id), { recursive: true });
    const runJson = join(store.runDir(id), 'run.json');
    writeFileSync(runJson, readFileSync(runJson, 'utf8').replaceAll('${DATASETS}', join(repoRoot, 'datasets')));
    rmSync(join(store.runDir(id), 'checkpoint.json'));
    expect((await store.list()).runs.find((r) => r.id === id)?.status).toBe('interrupted');
    const resumed = lastJson<{ status: string; epochs: number }>(await runCli(['runs', 'resume', id, '--epochs', '30', '--home', home.dir, '--json']));
    expect(resumed).toMatchObject({ status: 'finished', epochs: 30 });
    const epochs = readFileSync(join(store.runDir(id), 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { epoch: number }).epoch);
    expect(epochs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it.skipIf(process.platform !== 'linux')('a run whose worker died unreaped (a zombie) lists as interrupted and resumes', async () => {
    // A process whose parent never reaps it: sh starts it, then becomes a sleep that never waits.
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
    try {
      while (!/\) Z/.test(readFileSync(`/proc/${zombie}/stat`, 'utf8'))) await new Promise((resolve) => setTimeout(resolve, 20));
      const id = '20261201-214358-7940';
      rmSync(store.runDir(id), { recursive: true, force: true });
      cpSync(join(repoRoot, 'test', 'fixtures', 'runs-v1', id), store.runDir(id), { recursive: true });
      const runJson = join(store.runDir(id), 'run.json');
      const record = JSON.parse(readFileSync(runJson, 'utf8').replaceAll('${DATASETS}', join(repoRoot, 'datasets'))) as RunRecord;
      writeFileSync(runJson, JSON.stringify({ ...record, status: 'training', pid: zombie }));
      expect((await store.list()).runs.find((r) => r.id === id)?.status).toBe('interrupted');
      const resumed = lastJson<{ status: string }>(await runCli(['runs', 'resume', id, '--epochs', '30', '--home', home.dir, '--json']));
      expect(resumed.status).toBe('finished');
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
