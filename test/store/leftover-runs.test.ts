import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../main/store/run-store';
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
});
