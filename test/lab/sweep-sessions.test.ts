import { describe, expect, it } from 'vitest';
import { dataset } from '../support/cli';
import { sessionArgs } from '../support/settings';
import { labInTempHome, labSettled } from './session-helpers';

const { lab, workers } = labInTempHome();
const settled = () => labSettled(lab);

describe('createSweepSession', () => {
  it('names a new sweep and gives it an id; the next seed passed it joins it with the seed after', async () => {
    const data = await lab.openDatasetPath(dataset('iris.csv'));
    const [roles, settings] = sessionArgs({ epochs: 3, earlyStop: null, seed: 10 });
    const first = await lab.createSweepSession(data.id, roles, settings, { seeds: 2, index: 0, sweep: null });
    expect(first.sweep).toMatchObject({ name: 'iris 2 seeds', index: 1, seeds: 2 });
    expect(first.name).toBe('iris 2 seeds · seed 1/2');
    await lab.stop(first.run);
    const second = await lab.createSweepSession(data.id, roles, settings, { seeds: 2, index: 1, sweep: { id: first.sweep.id, name: first.sweep.name } });
    expect(second.sweep).toEqual({ ...first.sweep, index: 2 });
    await lab.stop(second.run);
    await settled();
    const { runs } = await lab.listRuns();
    expect(runs.map((r) => [r.sweep?.index, r.seed]).sort()).toEqual([[1, 10], [2, 11]]);
    const records = await Promise.all([first.run, second.run].map((id) => lab.getRun(id)));
    expect(records.map((r) => r.run.training.seed)).toEqual([10, 11]);
  });

  it('refuses a seed index the schema does not allow, before any worker starts', async () => {
    const before = workers.length;
    await expect(lab.call('createSweepSession', ['x', {}, sessionArgs()[1], { seeds: 3, index: 3, sweep: null }])).rejects.toThrow(/seed index must be below the number of seeds/);
    expect(workers.length).toBe(before);
  });
});
