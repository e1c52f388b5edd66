import { describe, expect, it } from 'vitest';
import { trainConfig } from '../../main/training/plan';
import { readRunData } from '../../main/training/run-data';
import { dataset } from '../support/cli';
import { trainRequest } from '../support/settings';

describe('the early-stopping patience', () => {
  it('is the settings’ epochs where they hold enough mini-batches, and more epochs on a small table', async () => {
    // iris: 90 training rows in batches of 32 are 3 mini-batches an epoch, so 500 mini-batches take 167 epochs.
    const iris = trainRequest(dataset('iris.csv'), { earlyStop: 20, patienceSteps: 500, batch: 32 });
    const { data } = await readRunData(iris);
    expect(data.train.rows).toBe(90);
    const config = trainConfig(iris.settings, data);
    expect(config.earlyStopPatience).toBe(167);
    // The plateau lowers the rate after half the patience the run really has.
    expect(config.schedule.patience).toBe(83);

    // One row per mini-batch: 90 an epoch, so the 20 epochs hold more than 500 mini-batches already.
    expect(trainConfig({ ...iris.settings, batch: 1 }, data).earlyStopPatience).toBe(20);
    // Without the setting (runs from before it), and with it at 0, the epochs alone count.
    const { patienceSteps: _, ...before } = iris.settings;
    expect(trainConfig(before, data).earlyStopPatience).toBe(20);
    expect(trainConfig({ ...iris.settings, patienceSteps: 0 }, data).earlyStopPatience).toBe(20);
    // Full batches: one mini-batch an epoch.
    expect(trainConfig({ ...iris.settings, batch: 'full' }, data).earlyStopPatience).toBe(500);
    // No early stopping stays none.
    expect(trainConfig({ ...iris.settings, earlyStop: null }, data).earlyStopPatience).toBeNull();
  });
});
