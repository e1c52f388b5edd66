import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);
let run: string;

beforeAll(async () => {
  const trained = await runCli(['train', dataset('iris.csv'), '--layers', '8,70', '--epochs', '5', '--class-weight', 'balanced', '--home', home.dir, '--json']);
  expect(trained.code, trained.stderr.join('\n')).toBe(0);
  run = lastJson<{ run: string }>(trained).run;
});

interface CheckJson {
  run: string;
  passed: boolean;
  weights: string;
  rows: number;
  max_relative_error: number;
  layers: { layer: number; inputs: number; units: number; activation: string; passed: boolean; weights: { checked: number; of: number; failed: number; max_absolute_error: number }; bias: { of: number } | null }[];
}

describe('nnlab gradcheck', () => {
  it('checks every layer of a run\'s saved model on its training rows, and passes', async () => {
    const result = await runCli(['gradcheck', run, '--home', home.dir, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const json = lastJson<CheckJson>(result);
    expect(json).toMatchObject({ run, passed: true, weights: 'model', rows: 32 });
    expect(json.layers.map((l) => [l.layer, l.inputs, l.units, l.activation, l.passed])).toEqual([
      [1, 4, 8, 'relu', true], [2, 8, 70, 'relu', true], [3, 70, 3, 'softmax', true],
    ]);
    expect(json.layers.map((l) => [l.weights.checked, l.weights.of, l.bias?.of])).toEqual([[32, 32, 8], [560, 560, 70], [210, 210, 3]]);
    for (const layer of json.layers) {
      expect(layer.weights.failed).toBe(0);
      expect(layer.weights.max_absolute_error).toBeLessThan(1e-8);
    }
  });

  it('prints a table with a verdict', async () => {
    const result = await runCli(['gradcheck', run, '--home', home.dir]);
    expect(result.code).toBe(0);
    const text = result.stdout.join('\n');
    expect(text).toContain(`Gradient check of run ${run}: the saved model, in float64, on its first 32 training rows.`);
    expect(text).toMatch(/^2\s+8 → 70\s+relu\s+\S+\s+\S+\s+560\s+\S+\s+\S+\s+70\s+passed$/m);
    expect(text).toContain('Passed: backpropagation agrees with central finite differences');
  });

  it('checks the last checkpoint of a run that has no saved model, and says so', async () => {
    rmSync(join(home.dir, 'runs', run, 'model.json'));
    const result = await runCli(['gradcheck', run, '--home', home.dir, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    expect(lastJson<CheckJson>(result)).toMatchObject({ passed: true, weights: 'checkpoint' });
  });

  it('names a run that is not there in one sentence', async () => {
    const result = await runCli(['gradcheck', '20990101-000000-abcd', '--home', home.dir]);
    expect(result.code).toBe(1);
    expect(result.stderr.join('\n')).toMatch(/^nnlab: There is no run "20990101-000000-abcd"/);
  });
});
