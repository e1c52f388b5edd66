import { describe, expect, it } from 'vitest';
import { dataset } from '../support/cli';
import { sessionArgs } from '../support/settings';
import { labInTempHome, labSettled } from './session-helpers';

const { lab, workers } = labInTempHome();
const settled = () => labSettled(lab);

describe('createFoldSession', () => {
  it('names a new experiment and gives it an id; the next fold passed it joins it', async () => {
    const data = await lab.openDatasetPath(dataset('iris.csv'));
    const [roles, settings] = sessionArgs({ epochs: 3, earlyStop: null });
    const first = await lab.createFoldSession(data.id, roles, settings, { folds: 2, index: 0, experiment: null });
    expect(first.experiment).toMatchObject({ name: 'iris 2-fold', fold: 1, folds: 2 });
    expect(first.name).toBe('iris 2-fold · fold 1/2');
    await lab.stop(first.run);
    const second = await lab.createFoldSession(data.id, roles, settings, { folds: 2, index: 1, experiment: { id: first.experiment.id, name: first.experiment.name } });
    expect(second.experiment).toEqual({ ...first.experiment, fold: 2 });
    await lab.stop(second.run);
    await settled();
    const { runs } = await lab.listRuns();
    expect(runs.map((r) => r.experiment).sort((a, b) => a!.fold - b!.fold)).toEqual([first.experiment, second.experiment]);
    const records = await Promise.all([first.run, second.run].map((id) => lab.getRun(id)));
    expect(records.map((r) => r.run.dataset.splits.test)).toEqual([75, 75]);
    expect(records.map((r) => r.run.request.fold)).toEqual([{ folds: 2, index: 0 }, { folds: 2, index: 1 }]);
  });

  it('refuses more folds than the rarest class has rows, in one sentence', async () => {
    const data = await lab.openDatasetPath(dataset('iris.csv'));
    const [roles, settings] = sessionArgs({ epochs: 3 });
    await expect(lab.createFoldSession(data.id, roles, settings, { folds: 60, index: 0, experiment: null }))
      .rejects.toThrow(/^Cross-validation with 60 folds needs at least 60 rows of every class of "species", but class "\w+" has only 50 in iris\.csv: use at most 50 folds\.$/);
  });

  it('refuses a fold index the schema does not allow, before any worker starts', async () => {
    const before = workers.length;
    await expect(lab.call('createFoldSession', ['x', {}, sessionArgs()[1], { folds: 3, index: 3, experiment: null }])).rejects.toThrow(/fold index must be below the number of folds/);
    expect(workers.length).toBe(before);
  });
});
