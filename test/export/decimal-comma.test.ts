import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../main/export/export-run';
import { RunStore } from '../../main/store/run-store';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';
import { HAS_NUMPY, NO_NUMPY, nnlabPredict, python } from './fixtures';

/**
 * A model trained on a file that writes 5,1 for 5.1: its exported code reads text cells the same way,
 * so rows handed over as the file's text predict as nnlab does.
 */
const home = tempHome();
afterAll(home.cleanup);
const CLASSES = ['setosa', 'versicolor', 'virginica'];
let run = '';
let csv = '';
let rows: Record<string, string>[] = [];

beforeAll(async () => {
  const lines = readFileSync(dataset('iris.csv'), 'utf8').trim().split('\n');
  csv = join(home.dir, 'iris-comma.csv');
  writeFileSync(csv, `${lines.map((l) => l.split(',').map((c) => c.replace('.', ',')).join(';')).join('\n')}\n`);
  const trained = await runCli(['train', csv, '--epochs', '60', '--home', home.dir, '--json']);
  expect(trained.code, trained.stderr.join('\n')).toBe(0);
  run = lastJson<{ run: string }>(trained).run;
  const header = lines[0]!.split(',');
  rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((c, i) => [header[i]!, c.replace('.', ',')])));
});

async function written(format: 'js' | 'py'): Promise<string> {
  const result = await exportRun(new RunStore(home.dir), run, format);
  expect(result.verification.verified, result.verification.message).toBe(true);
  const dir = join(home.dir, format);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, format === 'js' ? 'model.js' : 'model.py');
  writeFileSync(path, result.files[0]!.bytes);
  return path;
}

describe('exports of a model trained on decimal-comma data', () => {
  it('record the decimal comma in the model', async () => {
    const model = JSON.parse(readFileSync(join(home.dir, 'runs', run, 'model.json'), 'utf8'));
    expect(model.preprocessing.decimal).toBe(',');
  });

  it('the JavaScript module reads "5,1" as 5.1, as nnlab does', async () => {
    const module = createRequire(import.meta.url)(await written('js')) as { predict(row: Record<string, string>): { prediction: string; probabilities: number[] } };
    const expected = await nnlabPredict(join(home.dir, 'runs', run, 'model.json'), csv, CLASSES);
    rows.forEach((row, i) => {
      const got = module.predict(row);
      expect(got.prediction).toBe(expected[i]!.prediction);
      got.probabilities.forEach((p, j) => expect(Math.abs(p - expected[i]!.probabilities![j]!)).toBeLessThan(1e-5));
    });
  });

  it.skipIf(!HAS_NUMPY)(`the Python module reads "5,1" as 5.1, as nnlab does${NO_NUMPY}`, async () => {
    const path = await written('py');
    const got = python<[string, number[]][]>(
      `import json, sys, importlib.util\nspec = importlib.util.spec_from_file_location("m", ${JSON.stringify(path)})\nm = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(m)\nprint(json.dumps(m.predict(json.load(sys.stdin))))`,
      rows,
    );
    const expected = await nnlabPredict(join(home.dir, 'runs', run, 'model.json'), csv, CLASSES);
    got.forEach(([prediction, probabilities], i) => {
      expect(prediction).toBe(expected[i]!.prediction);
      probabilities.forEach((p, j) => expect(Math.abs(p - expected[i]!.probabilities![j]!)).toBeLessThan(1e-5));
    });
  });
});
