import { afterAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../engine/metrics-report';
import type { SplitMetrics } from '../../engine/metrics';
import { networkFromModel } from '../../engine/model';
import { joinSplits } from '../../engine/refit';
import { Trainer } from '../../engine/trainer';
import { loadModel } from '../../main/model-file';
import { loadCheckpoint } from '../../main/store/checkpoint';
import { RunStore } from '../../main/store/run-store';
import { RunDriver } from '../../main/training/run-driver';
import { networkSpec, trainConfig } from '../../main/training/plan';
import { readRunData } from '../../main/training/run-data';
import { metricKind, openRun } from '../../main/training/run-setup';
import type { TrainRequest } from '../../common/settings';
import { dataset, tempHome } from '../support/cli';
import { request } from './session-helpers';

const home = tempHome();
afterAll(home.cleanup);
const store = new RunStore(home.dir);

async function trainHere(req: TrainRequest, stopRequested?: () => boolean) {
  const driver = new RunDriver(await openRun(req, store), store);
  while (!driver.trainer.done) driver.advance(1000);
  await driver.finish(false, stopRequested);
  return store.get(driver.id);
}

/** The saved model and the first fit's weights (the last checkpoint), each scored on a run's splits as its summary is. */
async function fits(id: string, req: TrainRequest) {
  const { data } = await readRunData(req);
  const run = await store.get(id);
  const classes = run.preprocessing.target.kind === 'classes' ? run.preprocessing.target.classes : null;
  const saved = networkFromModel(await loadModel(store.modelPath(id)));
  const first = new Trainer(run.model, { train: data.train, val: data.val, metric: metricKind(data) }, run.training, { kernels: run.training.kernels ?? 'wasm' });
  first.network.copyParametersFrom((await loadCheckpoint(store.runDir(id), id)).parameters);
  const score = (network: typeof saved, split: typeof data.train) => evaluateReport(network, split, metricKind(data), classes);
  return { data, saved, first: first.network, score };
}

/** The same scores, but for the loss's last float32 digits, which a network made for another batch size sums in another order. */
function expectSameScores(actual: { loss: number | null } | null, expected: SplitMetrics): void {
  expect(actual).not.toBeNull();
  expect(actual!.loss!).toBeCloseTo(expected.loss, 6);
  expect({ ...actual, loss: 0 }).toEqual({ ...expected, loss: 0 });
}

const iris = (changes: Parameters<typeof request>[1]) => request(dataset('iris.csv'), { layers: [8], epochs: 60, seed: 4, val: 0.2, test: 0.2, ...changes });

describe('a refit on the training and validation rows', () => {
  it('trains the saved model afresh on both, for as many updates as the first fit kept, and scores validation with the first fit', async () => {
    const req = iris({ refit: true, earlyStop: 5, patienceSteps: 0 });
    const run = await trainHere(req);
    const { data, saved, first, score } = await fits(run.id, req);
    expect(run.status).toBe('finished');
    const stopped = /kept the weights of epoch (\d+)/.exec(run.summary.message);
    const kept = stopped ? Number(stopped[1]) : run.summary.epochs;
    const rows = data.train.rows + data.val.rows;
    // As many updates as the first fit made to reach its kept weights, in epochs of all the rows.
    const epochs = Math.round((kept * data.train.rows) / rows);
    expect(kept).toBeGreaterThan(epochs);
    expect(run.summary.refit).toEqual({ epochs, rows });
    expect(run.summary.message).toContain(`Refitted on all ${rows} training and validation rows for ${epochs} epochs, as many updates as the ${kept} epochs of the first fit's kept weights`);
    // The validation rows were trained on by the saved model: their score is the first fit's.
    expectSameScores(run.summary.val, score(first, data.val));
    expect(run.summary.val!.loss).not.toBeCloseTo(score(saved, data.val).loss, 3);
    expectSameScores(run.summary.test, score(saved, data.test!));
    expectSameScores(run.summary.train, score(saved, data.train));

    // The saved model is what the engine trains on the joined rows from the same start, each epoch at the rate the
    // first fit had as far through its training.
    const config = trainConfig(req.settings, data);
    const firstRates = (await store.readMetrics(run.id)).map((m) => m.learningRate);
    const rates = Array.from({ length: epochs }, (_, e) => firstRates[Math.floor(((e + 0.5) * kept) / epochs)]!);
    const byHand = new Trainer(networkSpec(req.settings, data).spec, { train: joinSplits(data.train, data.val), metric: metricKind(data) }, {
      ...config, epochs, earlyStopPatience: null, rates,
    }, { kernels: run.training.kernels ?? 'wasm' });
    byHand.run();
    expect(score(saved, data.test!)).toEqual(score(byHand.network, data.test!));
  });

  it('is left out, and said to be, when there are no test rows to judge the model by', async () => {
    const req = iris({ refit: true, test: 0 });
    const run = await trainHere(req);
    const { data, saved, first, score } = await fits(run.id, req);
    expect(run.summary.refit).toBeNull();
    expect(run.summary.message).toContain('It was not refitted on the validation rows: with no test rows, they are the only rows left to judge it by.');
    expect(score(saved, data.val)).toEqual(score(first, data.val));
  });

  it('is not made when it is not asked for, and the run is as it always was', async () => {
    const req = iris({ refit: false });
    const run = await trainHere(req);
    const { data, saved, first, score } = await fits(run.id, req);
    expect(run.summary.refit).toBeNull();
    expect(run.summary.message).not.toContain('refitted');
    expect(score(saved, data.test!)).toEqual(score(first, data.test!));
  });

  it('is left out when training is stopped during it, keeping the first fit', async () => {
    const req = iris({ refit: true });
    let asked = 0;
    // The first question is the refit's, before its first slice.
    const run = await trainHere(req, () => ++asked >= 1);
    const { data, saved, first, score } = await fits(run.id, req);
    expect(run.summary.refit).toBeNull();
    expect(run.summary.message).toContain('It was not refitted on the validation rows: training was stopped during the refit.');
    expect(score(saved, data.test!)).toEqual(score(first, data.test!));
  });

  it('is made of the linear baseline too, which is then the refitted run with no hidden layer', async () => {
    const settings = { refit: true, epochs: 30, earlyStop: null } as const;
    const deep = await trainHere(iris({ ...settings, layers: [8, 4] }));
    const flat = await trainHere(iris({ ...settings, layers: [] }));
    expect(flat.summary.refit).toEqual({ epochs: deep.summary.refit!.epochs, rows: deep.summary.refit!.rows });
    const linear = deep.summary.baselines!.linear!;
    expect({ train: linear.train, val: linear.val, test: linear.test }).toEqual({ train: flat.summary.train, val: flat.summary.val, test: flat.summary.test });
  });
});
