import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/run-record';
import { TRAINING_DEFAULTS } from '../../common/settings';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

const train = (...flags: string[]) => runCli(['train', dataset('iris.csv'), '--layers', '8', '--epochs', '40', '--home', home.dir, '--json', ...flags]);
const record = (json: { run: string }) => JSON.parse(readFileSync(join(home.dir, 'runs', json.run, 'run.json'), 'utf8')) as RunRecord;

describe('nnlab train --refit', () => {
  it('is off by default, and --json says there was no refit', async () => {
    expect(TRAINING_DEFAULTS.refit).toBe(false);
    const result = await train();
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const json = lastJson<{ run: string; refit: unknown; message: string }>(result);
    expect(json.refit).toBeNull();
    expect(record(json).request.settings.refit).toBe(false);
    expect(json.message).not.toContain('efitted');
  });

  it('refits on the training and validation rows, records it, and says so in the table and --json', async () => {
    const result = await train('--refit', '--early-stop', '0');
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const json = lastJson<{ run: string; refit: { epochs: number; rows: number }; message: string }>(result);
    const run = record(json);
    expect(run.request.settings.refit).toBe(true);
    const { train: trainRows, val } = run.dataset.splits;
    expect(json.refit).toEqual({ epochs: Math.round((40 * trainRows) / (trainRows + val)), rows: trainRows + val });
    expect(run.summary.refit).toEqual(json.refit);
    expect(json.message).toContain(`Refitted on all ${trainRows + val} training and validation rows`);
    const shown = await runCli(['runs', 'show', json.run, '--home', home.dir]);
    expect(shown.stdout.join('\n')).toContain(`Refitted on all ${trainRows + val} training and validation rows`);
  });

  it('--no-refit keeps the first fit, and with no test rows --refit says why it did not refit', async () => {
    const kept = lastJson<{ refit: unknown }>(await train('--refit', '--no-refit'));
    expect(kept.refit).toBeNull();
    const untested = lastJson<{ refit: unknown; message: string }>(await train('--refit', '--test', '0'));
    expect(untested.refit).toBeNull();
    expect(untested.message).toContain('It was not refitted on the validation rows: with no test rows, they are the only rows left to judge it by.');
  });
});
