import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetShape, QUALITY_TEST_FRACTION, writeSplit } from '../../main/bench/quality-split';
import { dataset, tempHome } from '../support/cli';

const temp = tempHome();
afterAll(temp.cleanup);

const dataLines = (file: string): string[] => readFileSync(file, 'utf8').trim().split('\n').slice(1);
const countBy = (lines: string[], column: number): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const key = line.split(',')[column]!;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};
let dirs = 0;
const freshDir = (): string => {
  const dir = join(temp.dir, `split-${dirs++}`);
  mkdirSync(dir);
  return dir;
};

describe('the quality split', () => {
  it('writes every row of the file once, to train.csv or test.csv, byte for byte, under the same header', () => {
    const dir = freshDir();
    const split = writeSplit(dataset('iris.csv'), 'species', 'classification', 1, dir);
    const original = readFileSync(dataset('iris.csv'), 'utf8').trim().split('\n');
    const train = readFileSync(split.train, 'utf8').trim().split('\n');
    const test = readFileSync(split.test, 'utf8').trim().split('\n');
    expect(train[0]).toBe(original[0]);
    expect(test[0]).toBe(original[0]);
    expect([...train.slice(1), ...test.slice(1)].sort()).toEqual(original.slice(1).sort());
    expect(split).toMatchObject({ trainRows: train.length - 1, testRows: test.length - 1, unlabelled: 0 });
    expect(split.trainRows + split.testRows).toBe(150);
  });

  it('keeps each class in the same proportion in both files (stratified): 13 of each 50 irises are test rows', () => {
    const split = writeSplit(dataset('iris.csv'), 'species', 'classification', 7, freshDir());
    expect(countBy(dataLines(split.test), 4)).toEqual({ setosa: 13, versicolor: 13, virginica: 13 });
    expect(countBy(dataLines(split.train), 4)).toEqual({ setosa: 37, versicolor: 37, virginica: 37 });
  });

  it('is the same split for the same seed and another for another seed', () => {
    const a = writeSplit(dataset('penguins.csv'), 'Species', 'classification', 3, freshDir());
    const b = writeSplit(dataset('penguins.csv'), 'Species', 'classification', 3, freshDir());
    const c = writeSplit(dataset('penguins.csv'), 'Species', 'classification', 4, freshDir());
    expect(readFileSync(b.test, 'utf8')).toBe(readFileSync(a.test, 'utf8'));
    expect(readFileSync(b.train, 'utf8')).toBe(readFileSync(a.train, 'utf8'));
    expect(readFileSync(c.test, 'utf8')).not.toBe(readFileSync(a.test, 'utf8'));
  });

  it('leaves out of both files the rows whose target is missing, and keeps rows with missing features', () => {
    // penguins: 11 rows have no Sex; 2 of them have no measurements either.
    const split = writeSplit(dataset('penguins.csv'), 'Sex', 'classification', 1, freshDir());
    expect(split.unlabelled).toBe(11);
    const rows = [...dataLines(split.train), ...dataLines(split.test)];
    expect(rows).toHaveLength(344 - 11);
    expect(rows.every((line) => !line.endsWith(',NA'))).toBe(true);
    const byClass = countBy(dataLines(split.test), 6);
    expect(byClass).toEqual({ MALE: Math.round(168 * QUALITY_TEST_FRACTION), FEMALE: Math.round(165 * QUALITY_TEST_FRACTION) });
    expect(datasetShape(dataset('penguins.csv'), 'Sex', 'classification')).toEqual({ rows: 333, features: 6, classes: 2 });
  });

  it('splits a regression target without stratifying, a quarter of the rows to test', () => {
    const file = join(temp.dir, 'numbers.csv');
    writeFileSync(file, `x,y\n${Array.from({ length: 101 }, (_, i) => `${i},${i * 0.5}`).join('\n')}\n`);
    const split = writeSplit(file, 'y', 'regression', 1, freshDir());
    expect(split.testRows).toBe(25);
    expect(split.trainRows).toBe(76);
    expect(datasetShape(file, 'y', 'regression')).toEqual({ rows: 101, features: 1, classes: null });
  });

  it('refuses a file with quoted fields or without the target, in one sentence', () => {
    const quoted = join(temp.dir, 'quoted.csv');
    writeFileSync(quoted, 'a,b\n"1,5",x\n2,y\n');
    expect(() => writeSplit(quoted, 'b', 'classification', 1, freshDir())).toThrow(/has quoted fields; the quality bench splits plain comma-separated files only\./);
    expect(() => writeSplit(dataset('iris.csv'), 'colour', 'classification', 1, freshDir())).toThrow(/has no column "colour"\./);
  });
});
