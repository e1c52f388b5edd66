import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/run-record';
import { writeDatedCsv } from '../export/fixtures';
import { lastJson, runCli, tempHome, trainCsv, type TrainedCliRun } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);
const csv = join(home.dir, 'dated.csv');
let run: TrainedCliRun;

beforeAll(async () => {
  writeDatedCsv(csv);
  run = await trainCsv(home.dir, csv, ['--column-type', 'store=category,units=number', '--missing-policy', 'impute', '--epochs', '80']);
});

describe('nnlab train --column-type', () => {
  it('records the types asked for in the request and the encoding of each column in the run', () => {
    const record = JSON.parse(readFileSync(join(run.runDir, 'run.json'), 'utf8')) as RunRecord;
    expect(record.request.roles.types).toEqual({ store: 'category', units: 'number' });
    expect(record.preprocessing.features.map((f) => [f.column, f.kind])).toEqual([['sold', 'date'], ['store', 'onehot'], ['units', 'numeric']]);
    expect(record.model.inputs).toBe(8);
  });

  it('refuses a type the values do not allow, naming the cell and its line, in one sentence', async () => {
    const result = await runCli(['train', csv, '--column-type', 'busy=number', '--home', home.dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.join('\n')).toContain('"busy" is the column to predict, so its type cannot be set');
    const notDate = await runCli(['train', csv, '--column-type', 'units=date', '--home', home.dir]);
    expect(notDate.code).not.toBe(0);
    expect(notDate.stderr.join('\n')).toBe('nnlab: Column "units" cannot be read as dates: "0" on line 2 is not an ISO date (YYYY-MM-DD, optionally with a time). Correct that cell, or choose another type for the column.');
  });

  it('refuses a type that is not one, saying which are', async () => {
    const result = await runCli(['train', csv, '--column-type', 'sold=time', '--home', home.dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.join('\n')).toContain('expected the type of "sold" to be one of number, category, date, ignore, got "time".');
  });
});

describe('nnlab inspect', () => {
  it('shows a date column as a date of 4 features, and a column read as another type', async () => {
    const text = await runCli(['inspect', csv]);
    expect(text.stdout.find((l) => l.startsWith('sold'))).toMatch(/^sold\s+date\s+feature\s+1\s+2023-01-01 … 2024-05-14, as 4 features: year, month, day, weekday$/);
    const json = lastJson<{ columns: { name: string; type: string; encodedAs: string }[] }>(await runCli(['inspect', csv, '--column-type', 'sold=category', '--json']));
    expect(json.columns.map((c) => [c.name, c.type, c.encodedAs])).toEqual([['sold', 'date', 'category'], ['store', 'numeric', 'number'], ['units', 'numeric', 'number'], ['busy', 'boolean', 'category']]);
    // The table says what an override reads a column as; the others keep their type alone.
    const overridden = await runCli(['inspect', csv, '--column-type', 'store=category']);
    expect(overridden.stdout.find((l) => l.startsWith('store'))).toMatch(/^store\s+numeric → category\s+feature\s/);
    expect(overridden.stdout.find((l) => l.startsWith('units'))).toMatch(/^units\s+numeric\s+feature\s/);
  });
});

describe('nnlab predict with a date column', () => {
  it('reads the dates of a new file, in any column order, past a time of day, and judges the predictions', async () => {
    const rows = [
      'busy,units,store,sold',
      'yes,3,1,2024-03-02', // a Saturday
      'yes,3,1,2024-03-02T18:45:00+01:00',
      'no,3,1,2024-03-05', // a Tuesday
      'no,3,1,2024-03-05 09:00',
    ];
    const file = join(home.dir, 'new.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const out = join(home.dir, 'predicted.csv');
    const result = await runCli(['predict', run.model, file, '--out', out, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const predicted = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(predicted.map((r) => r.prediction)).toEqual(['yes', 'yes', 'no', 'no']);
    // The time is read past: the same date gives the same probabilities.
    expect(predicted[1]!.prob_yes).toBe(predicted[0]!.prob_yes);
    expect(predicted[3]!.prob_yes).toBe(predicted[2]!.prob_yes);
    expect(lastJson<{ metrics: { accuracy: number } }>(result).metrics.accuracy).toBe(1);
  });
});
