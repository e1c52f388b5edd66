import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataset, lastJson, repoRoot, runCli, tempHome } from '../support/cli';
import { writeRings } from '../lab/session-helpers';
import { HISTORY_LIMIT } from '../../engine/history';

const home = tempHome();
afterAll(home.cleanup);

async function trainJson(args: string[]) {
  const result = await runCli(['train', ...args, '--home', home.dir, '--json']);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  return lastJson<{ run: string; epochs: number }>(result);
}

describe('nnlab runs', () => {
  it('lists, shows, renames, resumes and deletes runs', async () => {
    const first = await trainJson([dataset('iris.csv'), '--epochs', '10', '--early-stop', '0', '--name', 'first']);
    const second = await trainJson([dataset('xor.csv'), '--val', '0', '--test', '0', '--epochs', '5']);

    const list = lastJson<{ runs: Record<string, unknown>[]; damaged: unknown[] }>(await runCli(['runs', 'list', '--home', home.dir, '--json']));
    expect(list.damaged).toEqual([]);
    expect(list.runs.map((r) => r.id)).toEqual([second.run, first.run].sort().reverse());
    for (const run of list.runs) for (const key of ['id', 'name', 'status', 'dataset', 'created']) expect(run).toHaveProperty(key);
    expect(list.runs.find((r) => r.id === first.run)).toMatchObject({ name: 'first', status: 'finished', dataset: dataset('iris.csv') });

    expect((await runCli(['runs', 'rename', first.run, 'iris baseline', '--home', home.dir])).code).toBe(0);
    const shown = lastJson<{ run: { name: string }; metrics: unknown[] }>(await runCli(['runs', 'show', first.run, '--home', home.dir, '--json']));
    expect(shown.run.name).toBe('iris baseline');
    expect(shown.metrics).toHaveLength(10);

    // A finished run continues when allowed more epochs, from its last checkpoint.
    const resumed = lastJson<{ status: string; epochs: number }>(await runCli(['runs', 'resume', first.run, '--epochs', '15', '--home', home.dir, '--json']));
    expect(resumed).toMatchObject({ status: 'finished', epochs: 15 });
    const metrics = readFileSync(join(home.dir, 'runs', first.run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).epoch);
    expect(metrics).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));

    const fewer = await runCli(['runs', 'resume', first.run, '--epochs', '12', '--home', home.dir]);
    expect(fewer.code).toBe(1);
    expect(fewer.stderr.join('\n')).toMatch(/has already trained 15 epochs; to continue it, allow more than that \(--epochs 16 or more\)/);

    expect((await runCli(['runs', 'rm', second.run, '--home', home.dir])).code).toBe(0);
    expect(existsSync(join(home.dir, 'runs', second.run))).toBe(false);
    const missing = await runCli(['runs', 'show', second.run, '--home', home.dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.join('\n')).toMatch(/There is no run/);
    const bad = await runCli(['runs', 'show', '../../etc', '--home', home.dir]);
    expect(bad.stderr.join('\n')).toMatch(/is not a run id/);
  });

  it('says in one line when its training process dies, and leaves the run interrupted', async () => {
    const file = writeRings(home.dir, 20_000);
    const cli = spawn(process.execPath, [join(repoRoot, 'bin', 'nnlab.js'), 'train', file, '--epochs', '100000', '--home', home.dir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    // The worker's pid is in run.json once training has begun.
    let pid: number | null = null;
    let run = '';
    while (pid === null) {
      await new Promise((r) => setTimeout(r, 50));
      for (const id of existsSync(join(home.dir, 'runs')) ? readdirSync(join(home.dir, 'runs')) : []) {
        try {
          const record = JSON.parse(readFileSync(join(home.dir, 'runs', id, 'run.json'), 'utf8'));
          if (record.status === 'training' && record.dataset.path === file) ({ pid, id: run } = record);
        } catch { /* being written */ }
      }
    }
    process.kill(pid, 'SIGKILL');
    expect(await exited).toBe(1);
    const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('note:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^nnlab: The training process was killed \\(SIGKILL\\); run ${run} is left interrupted`));
    const record = JSON.parse(readFileSync(join(home.dir, 'runs', run, 'run.json'), 'utf8'));
    expect(record.status).toBe('interrupted');
  });

  it('stops training on Ctrl-C, keeping the run and its model', async () => {
    const file = writeRings(home.dir, 5000);
    // Its own process group, so that the signal reaches the command and its worker, as a terminal's Ctrl-C does.
    const cli = spawn(process.execPath, [join(repoRoot, 'bin', 'nnlab.js'), 'train', file, '--epochs', '100000', '--home', home.dir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    cli.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    let run = '';
    while (!run) {
      await new Promise((r) => setTimeout(r, 50));
      for (const id of existsSync(join(home.dir, 'runs')) ? readdirSync(join(home.dir, 'runs')) : []) {
        try {
          const record = JSON.parse(readFileSync(join(home.dir, 'runs', id, 'run.json'), 'utf8'));
          const epochs = existsSync(join(home.dir, 'runs', id, 'metrics.jsonl')) ? readFileSync(join(home.dir, 'runs', id, 'metrics.jsonl'), 'utf8').trim().split('\n').length : 0;
          if (record.status === 'training' && record.dataset.path === file && epochs >= 2) run = id;
        } catch { /* being written */ }
      }
    }
    process.kill(-cli.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result).toMatchObject({ run, status: 'stopped' });
    expect(result.epochs).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(home.dir, 'runs', run, 'model.json'))).toBe(true);
  });

  it('refuses to rename a run to a blank name (or one longer than the app allows), keeping the old one', async () => {
    const { run } = await trainJson([dataset('xor.csv'), '--val', '0', '--test', '0', '--epochs', '2', '--name', 'kept']);
    for (const name of ['', '   ', 'x'.repeat(201)]) {
      const result = await runCli(['runs', 'rename', run, name, '--home', home.dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toHaveLength(1);
      expect(result.stderr[0]).toMatch(/^nnlab: .*name/);
    }
    const shown = lastJson<{ run: { name: string } }>(await runCli(['runs', 'show', run, '--home', home.dir, '--json']));
    expect(shown.run.name).toBe('kept');
  });
});

describe('a very long run', () => {
  it('keeps its metrics log bounded, the newest epochs whole, and resumes from it', async () => {
    const long = tempHome();
    try {
      const args = ['train', dataset('seed-xor.csv'), '--layers', '4', '--activation', 'sigmoid', '--loss', 'sse', '--optimizer', 'sgd', '--lr', '1',
        '--batch', 'full', '--val', '0', '--test', '0', '--early-stop', '0', '--no-bias', '--init', 'uniform', '--epochs', '45000', '--home', long.dir, '--json'];
      const trained = lastJson<{ run: string; status: string; epochs: number }>(await runCli(args));
      expect(trained).toMatchObject({ status: 'finished', epochs: 45_000 });
      const log = () => readFileSync(join(long.dir, 'runs', trained.run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
      const epochs = log();
      expect(epochs.length).toBeLessThanOrEqual(HISTORY_LIMIT);
      expect(epochs[0]).toBe(1);
      expect(epochs.slice(-5000)).toEqual(Array.from({ length: 5000 }, (_, i) => 40_001 + i));
      const resumed = lastJson<{ status: string; epochs: number }>(await runCli(['runs', 'resume', trained.run, '--epochs', '45010', '--home', long.dir, '--json']));
      expect(resumed).toMatchObject({ status: 'finished', epochs: 45_010 });
      expect(log().slice(-11)).toEqual(Array.from({ length: 11 }, (_, i) => 45_000 + i));
    } finally {
      long.cleanup();
    }
  });
});
