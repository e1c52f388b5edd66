import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowPrediction } from '../../engine/model';
import { exportRun } from '../../main/export/export-run';
import { heldBackRows, type HeldBack } from '../../main/export/held-back';
import { compare, verifyJavaScript, verifyPython, verifyTorchScript } from '../../main/export/verify';
import { loadModel } from '../../main/model-file';
import { tempHome } from '../support/cli';
import { HAS_NUMPY, NO_NUMPY, storeOf, trainRun } from './fixtures';

const classes = (prediction: string, probabilities: number[]): RowPrediction => ({ prediction, probabilities });
const value = (prediction: number | null): RowPrediction => ({ prediction, probabilities: null });

const expected = [classes('a', [0.7, 0.2, 0.1]), classes('b', [0.1, 0.85, 0.05])];

describe('compare(), the check every export must pass before it is written', () => {
  it('verifies identical predictions with a max delta of 0', () => {
    const result = compare(expected, structuredClone(expected), 'The thing');
    expect(result).toMatchObject({ verified: true, maxDelta: 0, rows: 2 });
    expect(result.message).toBe('verified: max |Δ| = 0.00e+0 on 2 held-back rows');
  });

  it('accepts differences up to 1e-5 and refuses larger ones, naming what was checked', () => {
    const close = [classes('a', [0.7 + 9e-6, 0.2, 0.1]), expected[1]!];
    expect(compare(expected, close, 'The ONNX model').verified).toBe(true);
    const far = [classes('a', [0.7 + 2e-5, 0.2, 0.1]), expected[1]!];
    const result = compare(expected, far, 'The ONNX model');
    expect(result.verified).toBe(false);
    expect(result.maxDelta).toBeCloseTo(2e-5, 10);
    expect(result.message).toMatch(/^The ONNX model does not match nnlab: max \|Δ\| = 2\.00e-5 on 2 held-back rows$/);
  });

  it('refuses a different label even when the probabilities agree', () => {
    const result = compare(expected, [classes('c', [0.7, 0.2, 0.1]), expected[1]!], 'The JavaScript module');
    expect(result.verified).toBe(false);
    expect(result.maxDelta).toBe(0);
    expect(result.message).toMatch(/does not match nnlab: .*, 1 different labels$/);
  });

  it('measures regression values relative to their size', () => {
    expect(compare([value(1_000_000)], [value(1_000_005)], 'x')).toMatchObject({ verified: true, maxDelta: 5e-6 });
    expect(compare([value(1_000_000)], [value(1_000_020)], 'x').verified).toBe(false);
    expect(compare([value(0.5)], [value(0.50002)], 'x').verified).toBe(false);
  });

  it('refuses a missing row, a NaN, or an output that is not there at all', () => {
    expect(compare(expected, [expected[0]!], 'x')).toMatchObject({ verified: false, maxDelta: Infinity });
    expect(compare(expected, [classes('a', [Number.NaN, 0.2, 0.1]), expected[1]!], 'x')).toMatchObject({ verified: false, maxDelta: Infinity });
    // Same labels but no probabilities, or fewer of them: nothing was compared, so nothing is verified.
    expect(compare(expected, [{ prediction: 'a', probabilities: null }, expected[1]!], 'x')).toMatchObject({ verified: false, maxDelta: Infinity });
    expect(compare(expected, [classes('a', [0.7, 0.2]), expected[1]!], 'x')).toMatchObject({ verified: false, maxDelta: Infinity });
    // A regression module that predicts nothing for a row it should predict.
    expect(compare([value(3.2)], [value(null)], 'x')).toMatchObject({ verified: false, maxDelta: Infinity });
  });
});

describe('checks of generated code: a failure that ran counts as a mismatch (the CLI then writes nothing)', () => {
  const home = tempHome();
  afterAll(home.cleanup);
  let held: HeldBack;
  let code = '';

  beforeAll(async () => {
    const run = await trainRun(home.dir, 'iris');
    const record = await storeOf(home.dir).get(run.id);
    held = await heldBackRows(record, await loadModel(run.model));
    code = Buffer.from((await exportRun(storeOf(home.dir), run.id, 'js')).files[0]!.bytes).toString('utf8');
  });

  it('verifies the real module', () => {
    const result = verifyJavaScript(code, held);
    expect(result.verified).toBe(true);
    expect(result.rows).toBe(30);
  });

  it('refuses a module whose self-test fails, with an infinite delta', () => {
    // Every weight of the output layer doubled: the golden vectors cannot hold any more.
    const tampered = code.replace(/^const MODEL = (.*);$/m, (_, json: string) => {
      const model = JSON.parse(json) as { layers: { weights: number[] }[] };
      const last = model.layers[model.layers.length - 1]!;
      last.weights = last.weights.map((w) => w * 2);
      return `const MODEL = ${JSON.stringify(model)};`;
    });
    expect(tampered).not.toBe(code);
    const result = verifyJavaScript(tampered, held);
    expect(result).toMatchObject({ verified: false, maxDelta: Infinity });
    expect(result.message).toMatch(/^its self-test failed: MISMATCH: 8 golden vectors/);
  });

  it('refuses code that does not run at all', () => {
    expect(verifyJavaScript('this is not JavaScript', held)).toMatchObject({ verified: false, maxDelta: Infinity, message: expect.stringMatching(/^its self-test failed: /) });
  });

  it('refuses a module that cannot predict', () => {
    const result = verifyJavaScript("module.exports = { predict() { throw new Error('no'); } };", held);
    expect(result).toMatchObject({ verified: false, maxDelta: Infinity, message: expect.stringMatching(/^it failed to predict: /) });
  });

  it('refuses a module whose self-test passes but whose predictions are off', () => {
    const result = verifyJavaScript(`module.exports = { predict: () => ({ prediction: 'setosa', probabilities: [1, 0, 0] }) };`, held);
    expect(result.verified).toBe(false);
    expect(result.maxDelta!).toBeGreaterThan(1e-5);
    expect(Number.isFinite(result.maxDelta)).toBe(true);
    expect(result.message).toMatch(/^The JavaScript module does not match nnlab: .* different labels$/);
  });

  // Skipped without NumPy: the checks then report "not verified" before running anything.
  it.skipIf(!HAS_NUMPY)(`refuses a PyTorch script whose dry run fails, and a Python module that does not run${NO_NUMPY}`, () => {
    expect(verifyTorchScript('import sys\nprint("rows: 1 train")\nsys.exit(1)\n', { train: 90, val: 30 }))
      .toMatchObject({ verified: false, maxDelta: Infinity, message: "the script does not reproduce nnlab's split: rows: 1 train" });
    expect(verifyPython('import numpy\nraise SystemExit(2)\n', held)).toMatchObject({ verified: false, maxDelta: Infinity });
  });
});
