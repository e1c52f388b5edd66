import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareDataset, type DatasetOptions } from '../../engine/data/dataset';
import type { ColumnarTable } from '../../engine/data/columnar';
import { importCsv } from '../../main/data/import/import-csv';
import { BASE_OPTIONS } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'nnlab-missing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `rows` rows (two numeric features, a category and a two-class target) whose first `gappy` rows have a `?` cell. */
async function fileWithGaps(rows: number, gappy: number, name = `gaps-${rows}-${gappy}.csv`): Promise<ColumnarTable> {
  const lines = ['height,weight,colour,label'];
  for (let r = 0; r < rows; r++) {
    const height = r < gappy && r % 2 === 0 ? '?' : String(150 + ((r * 7) % 40));
    const colour = r < gappy && r % 2 === 1 ? '?' : ['red', 'green', 'blue'][r % 3]!;
    lines.push(`${height},${60 + ((r * 11) % 30)},${colour},${r % 2 ? 'yes' : 'no'}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return (await importCsv(path)).table;
}

const auto: DatasetOptions = { ...BASE_OPTIONS, missingPolicy: 'auto' };

describe("the missing-value policy 'auto'", () => {
  it('fills in when leaving rows out would lose more than 5 % of them, and says so', async () => {
    const table = await fileWithGaps(57, 12);
    const data = prepareDataset(table, auto);
    expect(data.preprocessing.missingPolicy).toBe('impute');
    expect(data.rows.used).toBe(57);
    expect(data.warnings).toContain(
      '12 of 57 rows have missing feature values (21.1 %), more than the 5 % that may be left out, so their gaps were filled in from the training rows (the mean, or the most common category); use --missing-policy drop to leave them out instead.',
    );
    // The same rows in the same splits, and the same encoding, as asking for impute.
    const impute = prepareDataset(table, { ...BASE_OPTIONS, missingPolicy: 'impute' });
    for (const split of ['train', 'val'] as const) {
      expect(Array.from(data[split].source!)).toEqual(Array.from(impute[split].source!));
      expect(Array.from(data[split].x)).toEqual(Array.from(impute[split].x));
    }
    expect(data.preprocessing).toEqual(impute.preprocessing);
  });

  it('leaves rows out when they are at most 5 % of the rows, in one sentence', async () => {
    const table = await fileWithGaps(100, 5);
    const data = prepareDataset(table, auto);
    expect(data.preprocessing.missingPolicy).toBe('drop');
    expect(data.rows.used).toBe(95);
    const notes = data.warnings.filter((w) => /missing feature values/.test(w));
    expect(notes).toEqual(['5 of 100 rows have missing feature values (5 %), no more than 5 %, so they were left out; use --missing-policy impute to fill them in instead.']);
    const drop = prepareDataset(table, { ...BASE_OPTIONS, missingPolicy: 'drop' });
    expect(Array.from(data.train.source!)).toEqual(Array.from(drop.train.source!));
    expect(drop.warnings).toContain('5 rows with missing feature values were left out.');
  });

  it('fills in past the threshold: 6 rows of 100', async () => {
    const data = prepareDataset(await fileWithGaps(100, 6), auto);
    expect(data.preprocessing.missingPolicy).toBe('impute');
    expect(data.warnings).toContain(
      '6 of 100 rows have missing feature values (6 %), more than the 5 % that may be left out, so their gaps were filled in from the training rows (the mean, or the most common category); use --missing-policy drop to leave them out instead.',
    );
  });

  it('chooses from every row before the split, so the choice is the same whatever the fractions and seed', async () => {
    const table = await fileWithGaps(100, 5);
    for (const options of [{ seed: 2 }, { seed: 3, val: 0.5, test: 0 }, { val: 0, test: 0 }]) {
      expect(prepareDataset(table, { ...auto, ...options }).preprocessing.missingPolicy).toBe('drop');
    }
  });

  it('fills in, quietly, when no feature is missing, so rows to predict with gaps still get a prediction', async () => {
    const data = prepareDataset(await fileWithGaps(40, 0), auto);
    expect(data.preprocessing.missingPolicy).toBe('impute');
    expect(data.warnings.filter((w) => /missing/.test(w))).toEqual([]);
  });

  it('counts only rows that have a target: a row without one is left out whatever the policy', async () => {
    const lines = ['x,y'];
    for (let r = 0; r < 40; r++) lines.push(`${r < 4 ? '?' : r},${r < 4 ? '' : r % 2 ? 'a' : 'b'}`);
    lines.push('?,a');
    const path = join(dir, 'target-gaps.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const data = prepareDataset((await importCsv(path)).table, auto);
    expect(data.warnings).toContain('4 rows without a value for the target "y" were left out.');
    expect(data.warnings).toContain('1 of 37 rows has missing feature values (2.7 %), no more than 5 %, so it was left out; use --missing-policy impute to fill them in instead.');
    expect(data.preprocessing.missingPolicy).toBe('drop');
  });
});
