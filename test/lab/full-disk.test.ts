import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../main/store/run-store';
import { dataset, lastJson, runCli } from '../support/cli';

// A lab folder on a 1 MiB tmpfs fills up while a run trains. Mounting needs root and a kernel that allows it.
const mountPoint = mkdtempSync(join(tmpdir(), 'nnlab-full-disk-'));
const mounted = process.platform === 'linux' && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]).status === 0;
const WHY = mounted ? '' : ' [skipped: a small tmpfs cannot be mounted here (needs root on Linux)]';

beforeAll(() => {
  if (!mounted) rmSync(mountPoint, { recursive: true, force: true });
});
afterAll(() => {
  if (!mounted) return;
  spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)(`a lab folder whose disk fills up while a run trains${WHY}`, () => {
  it('says the disk is full and where, keeps the run readable, and resumes it once there is room', async () => {
    const result = await runCli(['train', dataset('iris.csv'), '--epochs', '10000000', '--early-stop', '0', '--home', mountPoint]);
    expect(result.code).toBe(1);
    const said = result.stderr.join('\n');
    expect(said).toMatch(new RegExp(`The lab folder ${mountPoint} cannot be written: the disk is full\\. Run \\d{8}-\\d{6}-[0-9a-f]{4} is kept at its last checkpoint`));
    expect(said).not.toMatch(/ENOSPC|exit code/);

    const store = new RunStore(mountPoint);
    const { runs, damaged } = await store.list();
    expect(damaged).toEqual([]);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.status).toBe('interrupted');
    for (const file of readdirSync(store.runDir(run.id)).filter((f) => f.endsWith('.json'))) {
      expect(() => JSON.parse(readFileSync(join(store.runDir(run.id), file), 'utf8')), file).not.toThrow();
    }

    expect(spawnSync('mount', ['-o', 'remount,size=64m', mountPoint]).status).toBe(0);
    const resumed = lastJson<{ status: string; epochs: number }>(await runCli(['runs', 'resume', run.id, '--epochs', '20', '--home', mountPoint, '--json']));
    expect(resumed).toMatchObject({ status: 'finished', epochs: 20 });
  });
});
