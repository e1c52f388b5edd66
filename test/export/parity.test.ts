import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun, type ExportFormat } from '../../main/export/export-run';
import { tempHome } from '../support/cli';
import { csvRows, encodeByHand, HAS_NUMPY, NO_NUMPY, nnlabPredict, readModelJson, relativeDelta, RUN_KINDS, storeOf, trainAll, type RunKind, type TrainedRun } from './fixtures';

const { onnx } = onnxProto;
const home = tempHome();
afterAll(home.cleanup);
let runs: Record<RunKind, TrainedRun>;

beforeAll(async () => {
  runs = await trainAll(home.dir);
});

async function checkParity(kind: RunKind, format: ExportFormat): Promise<void> {
  const result = await exportRun(storeOf(home.dir), runs[kind].id, format);
  expect(result.verification.message).toMatch(/^verified: /);
  expect(result.verification.verified).toBe(true);
  expect(result.verification.maxDelta).not.toBeNull();
  expect(result.verification.maxDelta!).toBeLessThanOrEqual(1e-5);
  // xor holds nothing back, so the check falls back to its four training rows.
  expect(result.verification.rows).toBe(kind === 'xor' ? 4 : expectedHeldBack(runs[kind]));
  expect(result.files).toHaveLength(1);
  expect(result.files[0]!.bytes.length).toBeGreaterThan(0);
}

describe.each(RUN_KINDS)('exports of the %s run agree with nnlab on held-back rows', (kind) => {
  it.each(['json', 'onnx', 'npz', 'js'] as const)('%s is verified within 1e-5', (format) => checkParity(kind, format));
  // Skipped without NumPy: the Python module cannot run, and the export says "not verified".
  it.skipIf(!HAS_NUMPY)(`py is verified within 1e-5${NO_NUMPY}`, () => checkParity(kind, 'py'));
});

/** Held-back rows are the test split (or validation when there is no test split), as recorded in run.json. */
function expectedHeldBack(run: TrainedRun): number {
  const record = JSON.parse(readFileSync(`${run.runDir}/run.json`, 'utf8')) as { dataset: { splits: { train: number; val: number; test: number } } };
  const { splits } = record.dataset;
  return splits.test > 0 ? splits.test : splits.val > 0 ? splits.val : splits.train;
}

describe.each(RUN_KINDS)('the ONNX graph of the %s run, run by onnxruntime on features encoded by hand', (kind) => {
  it('has opset 13, input features [N, F] float and the documented outputs', async () => {
    const run = runs[kind];
    const { bytes } = (await exportRun(storeOf(home.dir), run.id, 'onnx')).files[0]!;
    const graph = onnx.ModelProto.decode(bytes);
    const file = readModelJson(run.model);
    expect(graph.opsetImport.map((o) => [o.domain ?? '', Number(o.version)])).toEqual([['', 13]]);
    const dims = (v: onnxProto.onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
    const elemType = (v: onnxProto.onnx.IValueInfoProto) => v.type!.tensorType!.elemType;
    expect(graph.graph!.input!.map((i) => i.name)).toEqual(['features']);
    const input = graph.graph!.input![0]!;
    expect(elemType(input)).toBe(onnx.TensorProto.DataType.FLOAT);
    expect(dims(input)).toEqual(['N', file.inputs.length]);
    const outputs = Object.fromEntries(graph.graph!.output!.map((o) => [o.name, o]));
    const metadata = Object.fromEntries(graph.metadataProps.map((m) => [m.key, m.value]));
    expect(JSON.parse(metadata['nnlab.inputs']!)).toEqual(file.inputs);
    const target = file.preprocessing.target;
    if (target.kind === 'classes') {
      expect(Object.keys(outputs).sort()).toEqual(['label', 'probabilities']);
      expect(elemType(outputs.probabilities!)).toBe(onnx.TensorProto.DataType.FLOAT);
      expect(dims(outputs.probabilities!)).toEqual(['N', target.classes.length]);
      expect(elemType(outputs.label!)).toBe(onnx.TensorProto.DataType.INT64);
      expect(dims(outputs.label!)).toEqual(['N']);
      expect(JSON.parse(metadata['nnlab.classes']!)).toEqual(target.classes);
    } else {
      expect(Object.keys(outputs)).toEqual(['value']);
      expect(elemType(outputs.value!)).toBe(onnx.TensorProto.DataType.FLOAT);
      expect(dims(outputs.value!)).toEqual(['N', 1]);
    }
  });

  it('predicts every CSV row as `nnlab predict model.json` does, within 1e-5', async () => {
    const run = runs[kind];
    const { bytes } = (await exportRun(storeOf(home.dir), run.id, 'onnx')).files[0]!;
    const metadata = Object.fromEntries(onnx.ModelProto.decode(bytes).metadataProps.map((m) => [m.key, m.value]));
    const inputs = JSON.parse(metadata['nnlab.inputs']!) as string[];
    const file = readModelJson(run.model);
    const target = file.preprocessing.target;
    const classes = target.kind === 'classes' ? target.classes : null;

    const rows = csvRows(run.csv);
    const encoded = rows.map((row) => encodeByHand(inputs, file.preprocessing, row));
    const usable = encoded.flatMap((x, r) => (x ? [r] : []));
    // The drop-policy run must really leave some rows out, and the others must keep all of them.
    if (kind === 'no-bias') expect(usable.length).toBeLessThan(rows.length);
    else expect(usable).toHaveLength(rows.length);

    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(bytes);
    const x = Float32Array.from(usable.flatMap((r) => encoded[r]!));
    const out = await session.run({ features: new ort.Tensor('float32', x, [usable.length, inputs.length]) });
    await session.release();

    const expected = await nnlabPredict(run.model, run.csv, classes);
    expect(expected).toHaveLength(rows.length);
    rows.forEach((_, r) => { if (!usable.includes(r)) expect(expected[r]!.prediction).toBe(''); });
    let worst = 0;
    usable.forEach((r, i) => {
      const e = expected[r]!;
      if (classes) {
        const k = classes.length;
        const probabilities = Array.from((out.probabilities!.data as Float32Array).subarray(i * k, (i + 1) * k));
        expect(e.probabilities).toHaveLength(k);
        probabilities.forEach((p, j) => { worst = Math.max(worst, Math.abs(p - e.probabilities![j]!)); });
        expect(classes[Number((out.label!.data as BigInt64Array)[i])]).toBe(e.prediction);
      } else {
        worst = Math.max(worst, relativeDelta(Number(e.prediction), (out.value!.data as Float32Array)[i]!));
      }
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});
