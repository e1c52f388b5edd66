import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { isActivationName, LEAKY_SLOPE, type ActivationName } from '../../engine/activations';
import { decodeOutput, inputScaling } from '../../engine/data/preprocessing';
import { networkFromModel, type Model, type RowPrediction } from '../../engine/model';
import { deserializeModel } from '../model-file';
import type { HeldBack } from './held-back';
import { readNpz } from './npz-export';
import { PARITY_TOLERANCE } from './standalone-model';
import { pythonWith } from '../python';
import { nodeRuntime } from '../node-runtime';

export interface Verification {
  verified: boolean;
  /**
   * Largest difference from nnlab's own outputs, relative to each value's size; null when not checked;
   * Infinity when generated code failed its check outright (it did not run, or could not predict).
   */
  maxDelta: number | null;
  rows: number;
  message: string;
}

/** The numbers to compare for one row: class probabilities, or the predicted value. */
function outputsOf(p: RowPrediction): number[] {
  return p.probabilities ?? (typeof p.prediction === 'number' ? [p.prediction] : []);
}

export function compare(expected: RowPrediction[], actual: RowPrediction[], what: string): Verification {
  let worst = 0;
  let labelsDiffer = 0;
  expected.forEach((e, i) => {
    const a = actual[i];
    if (!a) {
      worst = Infinity;
      return;
    }
    if (typeof e.prediction === 'string' && e.prediction !== a.prediction) labelsDiffer++;
    const got = outputsOf(a);
    // An output that is missing (no probabilities, no value) or NaN counts as an infinite difference.
    outputsOf(e).forEach((v, j) => {
      const delta = Math.abs(v - (got[j] ?? Number.NaN)) / Math.max(1, Math.abs(v));
      worst = Math.max(worst, Number.isNaN(delta) ? Infinity : delta);
    });
  });
  const verified = worst <= PARITY_TOLERANCE && labelsDiffer === 0;
  const detail = `max |Δ| = ${worst.toExponential(2)} on ${expected.length} held-back rows`;
  return {
    verified, maxDelta: worst, rows: expected.length,
    message: verified ? `verified: ${detail}` : `${what} does not match nnlab: ${detail}${labelsDiffer ? `, ${labelsDiffer} different labels` : ''}`,
  };
}

/** Reads the written file back as the app and `nnlab predict` would, and predicts with it. */
export function verifyJson(bytes: Uint8Array, model: Model, held: HeldBack): Verification {
  const reloaded = deserializeModel(JSON.parse(Buffer.from(bytes).toString('utf8')), 'the exported model');
  const rows = held.encoded.rows;
  return compare(predictionsFromOutputs(model, nnlabOutputs(model, held), rows), predictionsFromOutputs(reloaded, nnlabOutputs(reloaded, held), rows), 'The JSON model');
}

/** Runs a model's network (float32, as in training) on the encoded held-back rows. */
function nnlabOutputs(model: Model, held: HeldBack): Float32Array {
  const network = networkFromModel(model);
  const out = new Float32Array(held.encoded.rows * network.outputs);
  network.predict(held.encoded.x, held.encoded.rows, out);
  return out;
}

/** nnlab's reading of raw network outputs (rows × width) as labels and probabilities, or values. */
function predictionsFromOutputs(model: Model, out: ArrayLike<number>, rows: number): RowPrediction[] {
  const width = out.length / Math.max(1, rows);
  return Array.from({ length: rows }, (_, r) => {
    const decoded = decodeOutput(model.preprocessing.target, out, r * width);
    return { prediction: decoded.prediction, probabilities: decoded.probabilities ?? null };
  });
}

export async function verifyOnnx(bytes: Uint8Array, model: Model, held: HeldBack): Promise<Verification> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes);
  const rows = held.encoded.rows;
  // The graph takes encoded but unstandardised inputs: undo the standardisation the split already has.
  const raw = Float32Array.from(held.encoded.x);
  const inputs = model.spec.inputs;
  const { mean, std } = inputScaling(model.preprocessing);
  for (let r = 0; r < rows; r++) for (let j = 0; j < inputs; j++) raw[r * inputs + j] = raw[r * inputs + j]! * std[j]! + mean[j]!;
  const result = await session.run({ features: new ort.Tensor('float32', raw, [rows, inputs]) });
  const target = model.preprocessing.target;
  const onnxPredictions: RowPrediction[] = target.kind === 'value'
    ? Array.from(result.value!.data as Float32Array, (v) => ({ prediction: v, probabilities: null }))
    : Array.from({ length: rows }, (_, r) => {
      const k = target.classes.length;
      const probabilities = Array.from((result.probabilities!.data as Float32Array).subarray(r * k, (r + 1) * k));
      return { prediction: target.classes[Number((result.label!.data as BigInt64Array)[r])]!, probabilities };
    });
  await session.release();
  return compare(predictionsFromOutputs(model, nnlabOutputs(model, held), rows), onnxPredictions, 'The ONNX model');
}

/** Each activation of a layer's z, written out again here (float64) so that the check does not reuse the engine's maths. */
const ACTIVATIONS_F64: Record<ActivationName, (z: number[]) => number[]> = {
  sigmoid: (z) => z.map((v) => 1 / (1 + Math.exp(-v))),
  tanh: (z) => z.map(Math.tanh),
  relu: (z) => z.map((v) => Math.max(0, v)),
  leaky_relu: (z) => z.map((v) => (v > 0 ? v : LEAKY_SLOPE * v)),
  linear: (z) => z,
  softmax: (z) => {
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const sum = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / sum);
  },
};

/** An independent float64 forward pass over the arrays read back from the archive. */
export function verifyNpz(bytes: Uint8Array, model: Model, held: HeldBack): Verification {
  const arrays = readNpz(bytes);
  const names = arrays.activations!.data as string[];
  const activations = names.filter(isActivationName);
  if (activations.length !== names.length) {
    return { verified: false, maxDelta: Infinity, rows: 0, message: `The NumPy archive names an unknown activation: ${names.filter((n) => !isActivationName(n)).join(', ')}` };
  }
  const rows = held.encoded.rows;
  const outputs: number[] = [];
  for (let r = 0; r < rows; r++) {
    let a = Array.from(held.encoded.x.subarray(r * model.spec.inputs, (r + 1) * model.spec.inputs));
    activations.forEach((activation, i) => {
      const w = arrays[`W${i + 1}`]!;
      const b = arrays[`b${i + 1}`];
      const [n, m] = w.shape as [number, number];
      const z = Array.from({ length: m }, (_, j) => (b ? (b.data[j] as number) : 0));
      for (let p = 0; p < n; p++) for (let j = 0; j < m; j++) z[j]! += a[p]! * (w.data[p * m + j] as number);
      a = ACTIVATIONS_F64[activation](z);
    });
    outputs.push(...a);
  }
  return compare(predictionsFromOutputs(model, nnlabOutputs(model, held), rows), predictionsFromOutputs(model, outputs, rows), 'The NumPy archive');
}

const NO_NUMPY: Verification = { verified: false, maxDelta: null, rows: 0, message: 'not verified: python3 with NumPy was not found on this machine' };

function runChild(command: string, args: string[], input: string, cwd: string, env?: NodeJS.ProcessEnv) {
  return spawnSync(command, args, { input, cwd, encoding: 'utf8', maxBuffer: 64 << 20, ...(env ? { env } : {}) });
}

/** Runs generated code in its own process: its self-test, then its predictions on the held-back rows. */
function verifyCode(kind: 'js' | 'py', code: string, held: HeldBack): Verification {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-verify-'));
  try {
    const file = join(dir, kind === 'js' ? 'model.js' : 'model.py');
    writeFileSync(file, code);
    const node = kind === 'js' ? nodeRuntime() : null;
    const interpreter = node ? node.command : pythonWith('numpy');
    if (interpreter === null) return NO_NUMPY;
    const env = node?.env;
    const selfTest = runChild(interpreter, [file], '', dir, env);
    if (selfTest.status !== 0) {
      return { verified: false, maxDelta: Infinity, rows: 0, message: `its self-test failed: ${(selfTest.stdout + selfTest.stderr).trim().split('\n').pop()}` };
    }
    const script = kind === 'js'
      ? `const m = require(${JSON.stringify(file)}); let s = ''; process.stdin.on('data', (d) => { s += d; }); process.stdin.on('end', () => { process.stdout.write(JSON.stringify(JSON.parse(s).map((r) => m.predict(r)))); });`
      : `import json, sys\nsys.path.insert(0, ${JSON.stringify(dir)})\nimport model\nprint(json.dumps([{"prediction": p, "probabilities": q} for p, q in model.predict(json.load(sys.stdin))]))`;
    const run = runChild(interpreter, [kind === 'js' ? '-e' : '-c', script], JSON.stringify(held.raw), dir, env);
    if (run.status !== 0) return { verified: false, maxDelta: Infinity, rows: 0, message: `it failed to predict: ${run.stderr.trim().split('\n').pop()}` };
    return compare(held.expected, JSON.parse(run.stdout) as RowPrediction[], kind === 'js' ? 'The JavaScript module' : 'The Python module');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const verifyJavaScript = (code: string, held: HeldBack) => verifyCode('js', code, held);
export const verifyPython = (code: string, held: HeldBack) => verifyCode('py', code, held);

/** The training script is checked by reading and splitting the data the way it will, without PyTorch. */
export function verifyTorchScript(code: string, splits: { train: number; val: number }): Verification {
  const python = pythonWith('numpy');
  if (python === null) return NO_NUMPY;
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-verify-'));
  try {
    const file = join(dir, 'train.py');
    writeFileSync(file, code);
    const run = runChild(python, [file, '--dry-run'], '', dir);
    const said = (run.stdout + run.stderr).trim().split('\n').pop() ?? '';
    return run.status === 0
      ? { verified: true, maxDelta: null, rows: splits.train + splits.val, message: `verified: the script reads and splits the data as nnlab did (${said})` }
      : { verified: false, maxDelta: Infinity, rows: 0, message: `the script does not reproduce nnlab's split: ${said}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

