import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateRunRecord } from '../../common/run-record-migration';
import { RUN_SCHEMA_VERSION } from '../../common/run-record';
import { LabBackend } from '../../main/lab/lab-backend';
import { RunStore } from '../../main/store/run-store';
import { launcher } from '../lab/session-helpers';
import { lastJson, repoRoot, runCli, tempHome } from '../support/cli';

// Runs written by the previous version (run.json schema 1, kept in test/fixtures/runs-v1): they list, open,
// predict, duplicate and resume with this one.
const FINISHED = '20261201-214357-a3c0';
const INTERRUPTED = '20261201-214358-7940';

const home = tempHome();
const runs = join(home.dir, 'runs');

beforeAll(() => {
  cpSync(join(repoRoot, 'test', 'fixtures', 'runs-v1'), runs, { recursive: true, filter: (source) => !source.endsWith('README.md') });
  for (const id of readdirSync(runs)) {
    for (const file of ['run.json', 'model.json']) {
      const path = join(runs, id, file);
      try {
        writeFileSync(path, readFileSync(path, 'utf8').replaceAll('${DATASETS}', join(repoRoot, 'datasets')));
      } catch {
        // The interrupted run has no model yet.
      }
    }
  }
});
afterAll(() => home.cleanup());

describe('runs written by nnlab 0.1.0 (run.json schema 1)', () => {
  it('list with their status, and read in the current shape: roles apart, hidden layers as {units, activation}', async () => {
    const store = new RunStore(home.dir);
    const { runs: listed, damaged } = await store.list();
    expect(damaged).toEqual([]);
    expect(Object.fromEntries(listed.map((r) => [r.id, r.status]))).toEqual({ [FINISHED]: 'finished', [INTERRUPTED]: 'interrupted' });
    const finished = await store.get(FINISHED);
    expect(finished.schema).toBe(RUN_SCHEMA_VERSION);
    expect(finished.request.roles).toEqual({});
    expect(finished.request.settings.layers).toEqual([{ units: 8, activation: 'tanh' }, { units: 6, activation: 'tanh' }]);
    expect(finished.request.settings).toMatchObject({ name: 'iris v1', epochs: 5, optimizer: 'adam', earlyStop: 20 });
    const seed = await store.get(INTERRUPTED);
    expect(seed.request.settings).toMatchObject({ layers: [{ units: 4, activation: 'sigmoid' }], loss: 'sse', bias: false, batch: 'full', earlyStop: null });
  });

  it('predict with their saved model, and duplicate into a new experiment', async () => {
    const lab = new LabBackend(home.dir, launcher);
    const model = await lab.openRunModel(FINISHED);
    const data = await lab.openDatasetPath(join(repoRoot, 'datasets', 'iris.csv'));
    const predictions = await lab.predictWithModel(model.id, data.id);
    expect(predictions.predicted).toBe(150);
    const copy = await lab.duplicateRun(FINISHED);
    expect(copy.settings.layers).toEqual([{ units: 8, activation: 'tanh' }, { units: 6, activation: 'tanh' }]);
    expect(copy.settings.name).toBe('iris v1 (copy)');
    lab.shutdown();
  });

  it('resume: the finished one for more epochs, the interrupted one from its checkpoint', async () => {
    const more = lastJson<{ status: string; epochs: number }>(await runCli(['runs', 'resume', FINISHED, '--epochs', '8', '--home', home.dir, '--json']));
    expect(more).toMatchObject({ status: 'finished', epochs: 8 });
    const resumed = lastJson<{ status: string; epochs: number }>(await runCli(['runs', 'resume', INTERRUPTED, '--epochs', '40', '--home', home.dir, '--json']));
    expect(resumed).toMatchObject({ status: 'finished', epochs: 40 });
    const metrics = readFileSync(join(runs, INTERRUPTED, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(metrics.map((line) => (JSON.parse(line) as { epoch: number }).epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Written back in the current shape.
    expect(JSON.parse(readFileSync(join(runs, INTERRUPTED, 'run.json'), 'utf8')).schema).toBe(RUN_SCHEMA_VERSION);
  });

  it('keeps one activation per layer from the app’s version-1 requests', () => {
    const migrated = migrateRunRecord({
      schema: 1,
      request: { file: '/data/a.csv', target: 'y', task: 'classification', layers: [6, 4], activation: 'tanh', activations: ['tanh', 'sigmoid'], epochs: 3 },
    });
    expect(migrated).toEqual({
      schema: 2,
      request: {
        file: '/data/a.csv',
        roles: { target: 'y', task: 'classification' },
        settings: { epochs: 3, layers: [{ units: 6, activation: 'tanh' }, { units: 4, activation: 'sigmoid' }] },
      },
    });
  });
});
