import { describe, expect, it } from 'vitest';
import { columnarFromTable } from '../../engine/data/columnar';
import { prepareDataset } from '../../engine/data/dataset';
import { dateParts, daysFromCivil, parseIsoDate } from '../../engine/data/dates';
import { inputNames, type DateFeature } from '../../engine/data/preprocessing';
import { DEFAULT_MISSING_MARKERS } from '../../engine/data/table';
import { BASE_OPTIONS, describeTable, tableOf } from './helpers';

const parts = (text: string) => {
  const days = parseIsoDate(text);
  return days === null ? null : dateParts(days);
};

describe('ISO dates', () => {
  it('give known years, months, days of month and ISO weekdays (Monday 1 … Sunday 7)', () => {
    expect(parts('2024-02-29')).toEqual([2024, 2, 29, 4]); // a Thursday
    expect(parts('1970-01-01')).toEqual([1970, 1, 1, 4]);
    expect(parts('2000-01-01')).toEqual([2000, 1, 1, 6]); // a Saturday
    expect(parts('1999-12-31T23:59:59Z')).toEqual([1999, 12, 31, 5]);
    expect(parts('2023-10-15 08:30')).toEqual([2023, 10, 15, 7]); // a Sunday
    expect(parts('1900-03-01T00:00:00.000+02:00')).toEqual([1900, 3, 1, 4]);
    expect(parts('0001-01-01')).toEqual([1, 1, 1, 1]);
  });

  it('agree with the calendar on every day of 1899 to 2101', () => {
    for (let days = daysFromCivil(1899, 1, 1); days <= daysFromCivil(2101, 12, 31); days++) {
      const date = new Date(days * 86_400_000);
      expect(dateParts(days)).toEqual([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay() || 7]);
    }
  });

  it('are not days that do not exist, nor other texts', () => {
    for (const text of ['2023-02-29', '2024-13-01', '2024-04-31', '2024-00-10', '24-02-29', '2024/02/29', '2024-02-29x', '20240229', 'Feb 29 2024', '']) {
      expect(parseIsoDate(text), text).toBeNull();
    }
  });
});

const DATED = tableOf(['sold', 'code', 'size', 'label'], Array.from({ length: 40 }, (_, i) => {
  const day = new Date(Date.UTC(2024, 0, 1) + i * 9 * 86_400_000).toISOString().slice(0, 10);
  return [day, String(1 + (i % 3)), i % 7 === 0 ? 'big' : String(i % 5), i % 2 ? 'a' : 'b'];
}), 'dated.csv');

describe('a date column', () => {
  it('is detected as a date and becomes four inputs standardised on the training rows', () => {
    expect(describeTable(DATED, new Set(DEFAULT_MISSING_MARKERS))[0]).toMatchObject({ type: 'date', dateRange: { first: '2024-01-01', last: '2024-12-17' } });
    const data = prepareDataset(DATED, { ...BASE_OPTIONS, val: 0, test: 0, ignore: ['size'] });
    const feature = data.preprocessing.features[0] as DateFeature;
    expect(feature.kind).toBe('date');
    expect(inputNames(data.preprocessing)).toEqual(['sold.year', 'sold.month', 'sold.day', 'sold.weekday', 'code']);
    // The first row, 2024-01-01 (a Monday), as (value − mean) / std of each part over the 40 rows.
    const all = Array.from({ length: 40 }, (_, i) => dateParts(daysFromCivil(2024, 1, 1) + i * 9));
    const mean = [0, 1, 2, 3].map((p) => all.reduce((s, d) => s + d[p]!, 0) / 40);
    const std = [0, 1, 2, 3].map((p) => Math.sqrt(all.reduce((s, d) => s + (d[p]! - mean[p]!) ** 2, 0) / 40));
    expect(feature.mean).toEqual(mean.map((m, p) => (std[p]! > 0 ? m : 0)));
    const row = data.train.source!.indexOf(0);
    const x = Array.from(data.train.x.subarray(row * 5, row * 5 + 4));
    [2024, 1, 1, 1].forEach((v, p) => expect(x[p]).toBeCloseTo(std[p]! > 0 ? (v - mean[p]!) / std[p]! : v, 5));
  });

  it('can be read as categories instead, one input per date', () => {
    const data = prepareDataset(DATED, { ...BASE_OPTIONS, val: 0, test: 0, ignore: ['size'], types: { sold: 'category' } });
    expect(data.preprocessing.features[0]).toMatchObject({ kind: 'onehot', column: 'sold' });
    expect(inputNames(data.preprocessing)).toHaveLength(41);
  });
});

describe('column type overrides', () => {
  const options = { ...BASE_OPTIONS, val: 0, test: 0 };
  it('read a numeric code as categories and ignore a column', () => {
    const data = prepareDataset(DATED, { ...options, types: { code: 'category', size: 'ignore' } });
    expect(data.preprocessing.features.map((f) => [f.column, f.kind])).toEqual([['sold', 'date'], ['code', 'onehot']]);
    expect(inputNames(data.preprocessing)).toContain('code=2');
    expect(data.ignored).toEqual([{ column: 'size', reason: 'its type is set to ignored' }]);
  });

  it('read categories whose every value is a number as a number', () => {
    const table = tableOf(['grade', 'label'], Array.from({ length: 30 }, (_, i) => [['1', '2', '3'][i % 3]!, i % 2 ? 'a' : 'b']));
    const typed = columnarFromTable(table, new Set(DEFAULT_MISSING_MARKERS));
    const data = prepareDataset(typed, { ...options, types: { grade: 'number' } });
    expect(data.preprocessing.features[0]).toMatchObject({ kind: 'numeric', column: 'grade' });
  });

  it('refuse a number where a value is not one, naming it and its line', () => {
    expect(() => prepareDataset(DATED, { ...options, types: { size: 'number' } }))
      .toThrow('Column "size" cannot be read as numbers: "big" on line 2 is not a number. Correct that cell, list it as missing with --missing, or keep the column as categories.');
  });

  it('refuse a date where a value is not one, naming it and its line', () => {
    expect(() => prepareDataset(DATED, { ...options, types: { code: 'date' } }))
      .toThrow('Column "code" cannot be read as dates: "1" on line 2 is not an ISO date (YYYY-MM-DD, optionally with a time). Correct that cell, or choose another type for the column.');
  });

  it('refuse the target, and a column the file lacks', () => {
    expect(() => prepareDataset(DATED, { ...options, types: { label: 'number' } }))
      .toThrow('"label" is the column to predict, so its type cannot be set: choose classes or a number for it with --task instead.');
    expect(() => prepareDataset(DATED, { ...options, types: { colour: 'category' } }))
      .toThrow('dated.csv has no column "colour" to set the type of. Its columns are: "sold", "code", "size", "label".');
  });

  it('refuse categories for a column with too many distinct values to encode', () => {
    const table = tableOf(['id', 'label'], Array.from({ length: 5002 }, (_, i) => [`k${i}`, i % 2 ? 'a' : 'b']));
    expect(() => prepareDataset(table, { ...options, types: { id: 'category' } }))
      .toThrow('Column "id" cannot be read as categories: it has more than 5000 distinct values, too many to encode one input each. Ignore it, or read it as numbers.');
  });
});
