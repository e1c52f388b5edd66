import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabBackend } from '../../main/lab/lab-backend';
import { writeDatedCsv } from '../export/fixtures';
import { tempHome } from '../support/cli';
import { sessionArgs } from '../support/settings';
import { launcher, runDone } from './session-helpers';

const home = tempHome();
const lab = new LabBackend(home.dir, launcher);
afterAll(() => {
  lab.shutdown();
  home.cleanup();
});
const csv = join(home.dir, 'dated.csv');
writeDatedCsv(csv);

const done = (run: string) => runDone(lab, run);

describe('column types through the lab', () => {
  it('shows each column as the type asked for, and refuses one its values do not allow', async () => {
    const data = await lab.openDatasetPath(csv);
    expect(data.summary.columns.map((c) => [c.name, c.type, c.encodedAs])).toEqual([['sold', 'date', 'date'], ['store', 'numeric', 'number'], ['units', 'numeric', 'number'], ['busy', 'boolean', 'category']]);
    const typed = await lab.inspectDataset(data.id, { types: { store: 'category', units: 'ignore' } });
    expect(typed.summary.columns.map((c) => [c.name, c.role, c.encodedAs])).toEqual([['sold', 'feature', 'date'], ['store', 'feature', 'category'], ['units', 'ignored', 'ignore'], ['busy', 'target', 'category']]);
    await expect(lab.inspectDataset(data.id, { types: { store: 'date' } }))
      .rejects.toThrow('Column "store" cannot be read as dates: "1" on line 2 is not an ISO date (YYYY-MM-DD, optionally with a time). Correct that cell, or choose another type for the column.');
  });

  it('trains with them, and a duplicate of the run brings them back with its dataset', async () => {
    const data = await lab.openDatasetPath(csv);
    const info = await lab.createSession(data.id, ...sessionArgs({ types: { store: 'category' }, layers: [4], epochs: 3, missingPolicy: 'impute' }));
    const finished = done(info.run);
    await lab.start(info.run);
    await finished;
    const record = (await lab.getRun(info.run)).run;
    expect(record.preprocessing.features.map((f) => f.kind)).toEqual(['date', 'onehot', 'numeric']);
    const duplicate = await lab.duplicateRun(info.run);
    expect(duplicate.roles.types).toEqual({ store: 'category' });
    expect(duplicate.dataset.summary.columns.find((c) => c.name === 'store')!.encodedAs).toBe('category');
  });
});
