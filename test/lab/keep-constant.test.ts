import { afterAll, describe, expect, it } from 'vitest';
import { LabBackend } from '../../main/lab/lab-backend';
import type { LabEvent } from '../../common/lab-api';
import { tempHome } from '../support/cli';
import { launcher } from './session-helpers';
import { sessionArgs, type FlatSettings } from '../support/settings';

const home = tempHome();
const lab = new LabBackend(home.dir, launcher);
afterAll(() => {
  lab.shutdown();
  home.cleanup();
});

const SEED: FlatSettings = {
  missingPolicy: 'drop', standardize: false, layers: [4], activation: 'sigmoid', loss: 'sse', init: 'uniform', bias: false,
  optimizer: 'sgd', momentum: 0, learningRate: 1, schedule: 'constant', epochs: 20, batch: 'full', l2: 0, seed: 1, val: 0, test: 0, earlyStop: null,
};

async function trained(keepConstant?: string[]): Promise<string> {
  const data = await lab.openExample('seed-xor');
  const info = await lab.createSession(data.id, ...sessionArgs({ ...SEED, ...(keepConstant ? { keepConstant } : {}) }));
  const ended = new Promise<void>((resolve) => {
    const off = lab.subscribe((event: LabEvent) => {
      if (event.type === 'done' && event.run === info.run) {
        off();
        resolve();
      }
    });
  });
  await lab.start(info.run);
  await ended;
  return info.run;
}

describe('constant columns in the lab', () => {
  it('shows a kept constant as a feature when the roles name it, and trains on it', async () => {
    const data = await lab.openExample('seed-xor');
    const inspected = await lab.inspectDataset(data.id, { keepConstant: ['x3'] });
    expect(inspected.summary.columns.find((c) => c.name === 'x3')!.role).toBe('feature');
    const run = await trained(['x3']);
    expect((await lab.getRun(run)).run.model.inputs).toBe(3);
    const left = await trained([]);
    expect((await lab.getRun(left)).run.model.inputs).toBe(2);
  });

  it('duplicates a run made before the choice existed (no biases, no list) with the constant it trained on named', async () => {
    const run = await trained();
    expect((await lab.getRun(run)).run.model.inputs).toBe(3);
    const copy = await lab.duplicateRun(run);
    expect(copy.roles.keepConstant).toEqual(['x3']);
    expect(copy.dataset.summary.columns.find((c) => c.name === 'x3')!.role).toBe('feature');
  });
});
