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

/** Copies a folder of fixture runs into a lab folder's runs, with the real datasets folder for `${DATASETS}`. */
function installRuns(fixtures: string, runsDir: string): void {
  cpSync(join(repoRoot, 'test', 'fixtures', fixtures), runsDir, { recursive: true, filter: (source) => !source.endsWith('README.md') });
  for (const id of readdirSync(runsDir)) {
    for (const file of ['run.json', 'model.json']) {
      const path = join(runsDir, id, file);
      try {
        writeFileSync(path, readFileSync(path, 'utf8').replaceAll('${DATASETS}', join(repoRoot, 'datasets')));
      } catch {
        // A run interrupted before its end has no model yet.
      }
    }
  }
}

const home = tempHome();
const runs = join(home.dir, 'runs');

beforeAll(() => installRuns('runs-v1', runs));
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

// Runs written just before the plateau schedule, class weights, kernels and folds (run.json schema 2, kept in
// test/fixtures/runs-v2): their settings lack every field added since, and their checkpoints the plateau's state.
describe('runs written before the plateau schedule (run.json schema 2, without the fields added since)', () => {
  const FINISHED_V2 = '20261202-022721-88ce';
  const STOPPED_V2 = '20261202-022734-d6c4';
  const v2 = tempHome();
  beforeAll(() => installRuns('runs-v2', join(v2.dir, 'runs')));
  afterAll(() => v2.cleanup());

  it('list and read with the settings they were trained with, none of today’s defaults filled in', async () => {
    const store = new RunStore(v2.dir);
    const { runs: listed, damaged } = await store.list();
    expect(damaged).toEqual([]);
    expect(Object.fromEntries(listed.map((r) => [r.id, r.status]))).toEqual({ [FINISHED_V2]: 'finished', [STOPPED_V2]: 'stopped' });
    const finished = await store.get(FINISHED_V2);
    expect(finished.request.settings).toMatchObject({ missingPolicy: 'drop', schedule: 'constant', learningRate: 0.01, epochs: 30, earlyStop: 20 });
    for (const field of ['minDelta', 'patienceSteps', 'classWeight', 'kernels'] as const) expect(finished.request.settings[field]).toBeUndefined();
    expect(finished.summary.baselines).toBeUndefined();
  });

  it('predict with their saved model', async () => {
    const lab = new LabBackend(v2.dir, launcher);
    const model = await lab.openRunModel(FINISHED_V2);
    const data = await lab.openDatasetPath(join(repoRoot, 'datasets', 'iris.csv'));
    expect((await lab.predictWithModel(model.id, data.id)).predicted).toBe(150);
    lab.shutdown();
  });

  it('resume from their checkpoint exactly as the version that wrote them trains: the same losses as one run straight through', async () => {
    const resumed = lastJson<{ status: string; epochs: number }>(await runCli(['runs', 'resume', STOPPED_V2, '--epochs', '170', '--home', v2.dir, '--json']));
    expect(resumed).toMatchObject({ status: 'finished', epochs: 170 });
    // The same run trained in one go today, every setting as the stopped run recorded it (the defaults have moved since).
    const straight = lastJson<{ run: string }>(await runCli([
      'train', join(repoRoot, 'datasets', 'penguins.csv'), '--target', 'Species', '--layers', '16,8', '--lr', '0.01', '--schedule', 'constant',
      '--epochs', '170', '--early-stop', '0', '--missing-policy', 'drop', '--min-delta', '0', '--patience-steps', '0', '--kernels', 'wasm', '--home', v2.dir, '--json',
    ]));
    const losses = (id: string) => readFileSync(join(v2.dir, 'runs', id, 'metrics.jsonl'), 'utf8').trim().split('\n')
      .map((line) => JSON.parse(line) as { epoch: number; train: { loss: number }; val: { loss: number } });
    const before = losses(STOPPED_V2);
    expect(before.map((m) => m.epoch)).toEqual(Array.from({ length: 170 }, (_, i) => i + 1));
    expect(before).toEqual(losses(straight.run));
  });
});
