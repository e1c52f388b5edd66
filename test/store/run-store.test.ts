import { mkdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../engine/trainer';
import { loadModel } from '../../main/model-file';
import { writeFileAtomic } from '../../main/files/atomic';
import { runRecordSchema, type RunRecord } from '../../common/run-record';
import { RunStore } from '../../main/store/run-store';
import { dataset, trainCsv } from '../support/cli';

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nnlab-store-'));
  temps.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A real record, as training writes it: three epochs of iris into a throwaway home, read back through the store. */
let trained: { run: RunRecord; modelPath: string };
let trainedHome: string;
beforeAll(async () => {
  trainedHome = await tempDir();
  const { id, model } = await trainCsv(trainedHome, dataset('iris.csv'), ['--epochs', '3']);
  trained = { run: await new RunStore(trainedHome).get(id), modelPath: model };
});

/** A copy of the trained record under another id, for stores built by hand. */
function recordWithId(id: string, name = `run ${id}`): RunRecord {
  return { ...structuredClone(trained.run), id, name };
}

const epoch = (n: number): EpochMetrics => ({ epoch: n, step: n * 3, learningRate: 0.01, train: { loss: 1 / n, accuracy: 0.5 } });

describe('what a training run leaves in the store', () => {
  it('writes a schema-valid run.json, one metrics line per epoch and a loadable model', async () => {
    const dir = join(trainedHome, 'runs', trained.run.id);
    // A finished run keeps its last checkpoint too, so it can be reopened and trained for more epochs.
    expect((await readdir(dir)).sort()).toEqual(['checkpoint.json', 'checkpoints', 'metrics.jsonl', 'model.json', 'run.json']);

    const record = runRecordSchema.parse(JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')));
    expect(record).toEqual(trained.run);
    expect(record.status).toBe('finished');
    expect(record.summary.epochs).toBe(3);
    expect(record.dataset).toMatchObject({ rows: 150, target: 'species', splits: { train: 90, val: 30, test: 30 } });

    const lines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => (JSON.parse(l) as EpochMetrics).epoch)).toEqual([1, 2, 3]);

    expect(trained.modelPath).toBe(join(dir, 'model.json'));
    const model = await loadModel(trained.modelPath);
    expect(model.spec).toEqual(record.model);
    expect(model.preprocessing).toEqual(record.preprocessing);
  });
});

describe('RunStore', () => {
  let store: RunStore;
  beforeEach(async () => {
    store = new RunStore(await tempDir());
  });

  it('round-trips create, get, update, list and remove', async () => {
    const older = recordWithId('20250101-090000-aaaa', 'older');
    const newer = recordWithId('20250102-090000-bbbb', 'newer');
    await store.create(older);
    await store.create(newer);
    expect(await store.get(older.id)).toEqual(older);

    const updated = await store.update(older.id, (r) => ({ ...r, notes: 'tried a smaller rate', tags: ['baseline'] }));
    expect(updated).toMatchObject({ notes: 'tried a smaller rate', tags: ['baseline'] });
    expect(Number.isNaN(Date.parse(updated.updated))).toBe(false);
    expect(await store.get(older.id)).toEqual(updated);

    const listed = await store.list();
    expect(listed.damaged).toEqual([]);
    expect(listed.runs.map((r) => r.name)).toEqual(['newer', 'older']);

    await store.remove(older.id);
    expect((await store.list()).runs.map((r) => r.id)).toEqual([newer.id]);
    await expect(store.get(older.id)).rejects.toThrow(`There is no run "${older.id}" in ${store.runsDir}.`);
  });

  it('loses no change when many updates of one run overlap (each reads, changes and writes under a lock)', async () => {
    const run = recordWithId('20250103-090000-dddd', 'busy');
    await store.create(run);
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.update(run.id, (r) => ({ ...r, tags: [...r.tags, `t${i}`] }))));
    const tags = (await store.get(run.id)).tags;
    expect(tags).toHaveLength(40);
    expect(new Set(tags).size).toBe(40);
  });

  it('queues a thousand changes of one run made at once in one process, losing none', async () => {
    const run = recordWithId('20250103-090000-eeee', 'queued');
    await store.create(run);
    const names = Array.from({ length: 1000 }, (_, i) => `name ${i}`);
    const results = await Promise.allSettled(names.map((name) => store.update(run.id, (r) => ({ ...r, name, tags: [...r.tags, name] }))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const final = await store.get(run.id);
    expect(final.name).toBe('name 999');
    expect(final.tags).toEqual(names);
  });

  it('waits out the lock of another process, and takes over one whose holder died', async () => {
    const run = recordWithId('20250103-090000-ffff', 'contended');
    await store.create(run);
    // Two processes' stores: their changes meet only at the lock file.
    const other = new RunStore(store.home);
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? store : other).update(run.id, (r) => ({ ...r, tags: [...r.tags, `t${i}`] }))));
    expect((await store.get(run.id)).tags).toHaveLength(60);
    // A lock whose holder was killed while holding it is never released; once stale, it is taken over.
    mkdirSync(join(store.runDir(run.id), 'run.json.lock'));
    const renamed = await store.update(run.id, (r) => ({ ...r, name: 'after a dead holder' }));
    expect(renamed.name).toBe('after a dead holder');
    expect((await store.get(run.id)).name).toBe('after a dead holder');
  });

  it('refuses to write a record that breaks the schema', async () => {
    const bad = { ...recordWithId('20250101-090000-cccc'), status: 'exploded' } as unknown as RunRecord;
    await expect(store.create(bad)).rejects.toThrow();
    await expect(store.get(bad.id)).rejects.toThrow(/There is no run/);
  });

  it('makes ids that it accepts, from the given time', () => {
    const id = store.newId(new Date(2026, 0, 2, 3, 4, 5));
    expect(id).toMatch(/^20260102-030405-[0-9a-f]{4}$/);
    expect(store.runDir(id)).toBe(join(store.runsDir, id));
  });

  it('lists nothing, without error, before any run exists', async () => {
    expect(await store.list()).toEqual({ runs: [], damaged: [] });
  });

  it('reports damaged runs and foreign folders while still listing the good runs', async () => {
    const good = recordWithId('20250103-090000-0001');
    const notJson = recordWithId('20250103-090000-0002');
    const offSchema = recordWithId('20250103-090000-0003');
    for (const r of [good, notJson, offSchema]) await store.create(r);
    await writeFile(join(store.runDir(notJson.id), 'run.json'), '{"schema": 1, "id": "2025');
    await writeFile(join(store.runDir(offSchema.id), 'run.json'), JSON.stringify({ ...offSchema, status: 'exploded' }));
    await mkdir(join(store.runsDir, 'holiday photos'));
    // Hidden entries are the store's own temp files, not runs.
    await writeFile(join(store.runsDir, '.run.json.1234.tmp'), 'half');

    const { runs, damaged } = await store.list();
    expect(runs.map((r) => r.id)).toEqual([good.id]);
    expect(damaged).toHaveLength(3);
    expect(damaged).toContainEqual({ id: 'holiday photos', problem: 'not a run folder' });
    expect(damaged).toContainEqual({ id: notJson.id, problem: `Run ${notJson.id} is damaged: its run.json is not valid JSON.` });
    const schemaProblem = damaged.find((d) => d.id === offSchema.id)!.problem;
    expect(schemaProblem).toMatch(new RegExp(`^Run ${offSchema.id} is damaged: run\\.json status: `));
    await expect(store.get(offSchema.id)).rejects.toThrow(schemaProblem);
  });

  it('says which part of a damaged run.json is missing, in words', async () => {
    const partial = recordWithId('20250103-090000-0004');
    await store.create(partial);
    const { name: _name, ...rest } = partial;
    await writeFile(join(store.runDir(partial.id), 'run.json'), JSON.stringify(rest));
    await expect(store.get(partial.id)).rejects.toThrow(`Run ${partial.id} is damaged: run.json name: missing (expected string).`);
  });

  it('refuses ids that are not run ids, so no path can leave the store', async () => {
    const outside = join(store.home, 'x');
    await writeFile(outside, 'keep me');
    for (const id of ['../x', '..', '20250101-090000-aaaa/../../x', '', 'x']) {
      expect(() => store.runDir(id)).toThrow(`"${id}" is not a run id (they look like 20260101-120000-ab12).`);
      await expect(store.get(id)).rejects.toThrow(/is not a run id/);
      await expect(store.remove(id)).rejects.toThrow(/is not a run id/);
    }
    await expect(store.create(recordWithId('../x'))).rejects.toThrow(/is not a run id/);
    expect(await readFile(outside, 'utf8')).toBe('keep me');
  });

  it('reads metrics back in order and skips a last line cut short', async () => {
    const run = recordWithId('20250104-090000-0001');
    await store.create(run);
    expect(await store.readMetrics(run.id)).toEqual([]);
    await store.appendMetrics(run.id, [epoch(1), epoch(2)]);
    await store.appendMetrics(run.id, []);
    await store.appendMetrics(run.id, [epoch(3)]);
    expect(await store.readMetrics(run.id)).toEqual([epoch(1), epoch(2), epoch(3)]);

    const path = join(store.runDir(run.id), 'metrics.jsonl');
    const full = await readFile(path, 'utf8');
    await writeFile(path, full + JSON.stringify(epoch(4)).slice(0, 25));
    expect(await store.readMetrics(run.id)).toEqual([epoch(1), epoch(2), epoch(3)]);
  });

  it('drops a line cut short when the log is cut back for a resume, so the next epoch is not appended to it', async () => {
    const run = recordWithId('20250104-090000-0002');
    await store.create(run);
    const path = join(store.runDir(run.id), 'metrics.jsonl');
    await store.appendMetrics(run.id, [epoch(1), epoch(2)]);
    // Killed while appending the epoch after a checkpoint of two epochs.
    await writeFile(path, (await readFile(path, 'utf8')) + JSON.stringify(epoch(3)).slice(0, 25));
    await store.keepMetrics(run.id, 2);
    await store.appendMetrics(run.id, [epoch(3)]);
    expect(await store.readMetrics(run.id)).toEqual([epoch(1), epoch(2), epoch(3)]);
    await store.keepMetrics(run.id, 1);
    expect(await readFile(path, 'utf8')).toBe(`${JSON.stringify(epoch(1))}\n`);
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    // Whatever happened, no temp file may be left next to the target.
    const leftovers = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('creates missing folders and writes the content', async () => {
    const path = join(dir, 'a', 'b', 'file.txt');
    await writeFileAtomic(path, 'hello');
    expect(await readFile(path, 'utf8')).toBe('hello');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['file.txt']);
  });

  it('replaces content whole, leaving no tail of a longer old version', async () => {
    const path = join(dir, 'file.json');
    await writeFileAtomic(path, 'x'.repeat(10_000));
    await writeFileAtomic(path, '{"short":true}');
    expect(await readFile(path, 'utf8')).toBe('{"short":true}');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['file.json']);
  });

  it('keeps concurrent writers from mixing their content', async () => {
    const path = join(dir, 'race.txt');
    const versions = Array.from({ length: 8 }, (_, i) => String(i).repeat(50_000));
    await Promise.all(versions.map((v) => writeFileAtomic(path, v)));
    expect(versions).toContain(await readFile(path, 'utf8'));
    expect(await readdir(dir)).toEqual(['race.txt']);
  });

  it('removes its temp file when the final rename fails', async () => {
    const path = join(dir, 'occupied');
    await mkdir(join(path, 'child'), { recursive: true });
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['occupied']);
  });
});
