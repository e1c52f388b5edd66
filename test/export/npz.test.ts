import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../main/export/export-run';
import { tempHome } from '../support/cli';
import { csvRows, encodeByHand, HAS_NUMPY, NO_NUMPY, nnlabPredict, python, readModelJson, relativeDelta, RUN_KINDS, storeOf, tensorBytes, trainAll, type RunKind, type TrainedRun } from './fixtures';

const home = tempHome();
afterAll(home.cleanup);
let runs: Record<RunKind, TrainedRun>;
const npzPaths = {} as Record<RunKind, string>;
const members = {} as Record<RunKind, Record<string, Uint8Array>>;

beforeAll(async () => {
  runs = await trainAll(home.dir);
  for (const kind of RUN_KINDS) {
    const result = await exportRun(storeOf(home.dir), runs[kind].id, 'npz');
    expect(result.files[0]!.name).toMatch(/\.npz$/);
    npzPaths[kind] = join(home.dir, `${kind}.npz`);
    writeFileSync(npzPaths[kind], result.files[0]!.bytes);
    members[kind] = unzipSync(result.files[0]!.bytes);
  }
});

/** The .npy 1.0 header nnlab promises, spelt out independently: magic, version, length, padded dict. */
function expectedHeader(descr: string, shape: number[]): Uint8Array {
  const shapeText = shape.length === 0 ? '()' : shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  while ((10 + dict.length + 1) % 64 !== 0) dict += ' ';
  dict += '\n';
  return new Uint8Array([0x93, ...Buffer.from('NUMPY', 'ascii'), 1, 0, dict.length & 0xff, dict.length >> 8, ...Buffer.from(dict, 'ascii')]);
}

function arrayList(kind: RunKind): Record<string, { descr: string; shape: number[] }> {
  const file = readModelJson(runs[kind].model);
  const arrays: Record<string, { descr: string; shape: number[] }> = {};
  file.layers.forEach((layer, i) => {
    arrays[`W${i + 1}`] = { descr: '<f4', shape: layer.weights.shape };
    if (layer.bias) arrays[`b${i + 1}`] = { descr: '<f4', shape: layer.bias.shape };
  });
  const inputs = file.inputs.length;
  arrays.feature_mean = { descr: '<f8', shape: [inputs] };
  arrays.feature_std = { descr: '<f8', shape: [inputs] };
  arrays.input_names = { descr: `<U${Math.max(...file.inputs.map((n) => Array.from(n).length))}`, shape: [inputs] };
  const activations = file.architecture.layers.map((l) => l.activation);
  arrays.activations = { descr: `<U${Math.max(...activations.map((a) => a.length))}`, shape: [activations.length] };
  const target = file.preprocessing.target;
  if (target.kind === 'classes') arrays.classes = { descr: `<U${Math.max(...target.classes.map((c) => Array.from(c).length))}`, shape: [target.classes.length] };
  else {
    arrays.target_mean = { descr: '<f8', shape: [1] };
    arrays.target_std = { descr: '<f8', shape: [1] };
  }
  return arrays;
}

describe.each(RUN_KINDS)('the NumPy archive of the %s run', (kind) => {
  it('holds one .npy per array, each with a byte-exact version 1.0 header and data aligned to 64 bytes', () => {
    const arrays = arrayList(kind);
    expect(Object.keys(members[kind]).sort()).toEqual([...Object.keys(arrays), 'nnlab_json'].map((n) => `${n}.npy`).sort());
    for (const [name, { descr, shape }] of Object.entries(arrays)) {
      const bytes = members[kind][`${name}.npy`]!;
      const header = expectedHeader(descr, shape);
      expect(Buffer.from(bytes.subarray(0, header.length)).toString('latin1'), name).toBe(Buffer.from(header).toString('latin1'));
      expect(header.length % 64).toBe(0);
      const itemSize = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 4 * Number(descr.slice(2));
      expect(bytes.length - header.length, name).toBe(itemSize * shape.reduce((a, b) => a * b, 1));
    }
    const json = members[kind]['nnlab_json.npy']!;
    const length = json[8]! | (json[9]! << 8);
    expect((10 + length) % 64).toBe(0);
    expect(Buffer.from(json.subarray(10, 10 + length)).toString('latin1')).toMatch(/^\{'descr': '<U\d+', 'fortran_order': False, 'shape': \(\), \} *\n$/);
  });

  it('stores W and b bit for bit as model.json does', () => {
    const file = readModelJson(runs[kind].model);
    expect(file.architecture.bias).toBe(kind !== 'no-bias');
    file.layers.forEach((layer, i) => {
      const w = members[kind][`W${i + 1}.npy`]!;
      const wHeader = expectedHeader('<f4', layer.weights.shape).length;
      expect(Buffer.from(w.subarray(wHeader)).equals(Buffer.from(tensorBytes(layer.weights.data)))).toBe(true);
      const b = members[kind][`b${i + 1}.npy`];
      if (!layer.bias) {
        expect(b).toBeUndefined();
        return;
      }
      const bHeader = expectedHeader('<f4', layer.bias.shape).length;
      expect(Buffer.from(b!.subarray(bHeader)).equals(Buffer.from(tensorBytes(layer.bias.data)))).toBe(true);
    });
  });

  // Skipped without NumPy: nothing else reads .npy files the way NumPy does.
  it.skipIf(!HAS_NUMPY)(`loads in NumPy with the right shapes, dtypes and classes, and its forward pass matches nnlab predict${NO_NUMPY}`, async () => {
    const run = runs[kind];
    const file = readModelJson(run.model);
    const target = file.preprocessing.target;
    const classes = target.kind === 'classes' ? target.classes : null;
    const rows = csvRows(run.csv);
    const encoded = rows.map((row) => encodeByHand(file.inputs, file.preprocessing, row));
    const usable = encoded.flatMap((x, r) => (x ? [r] : []));
    const loaded = python<{
      arrays: Record<string, { dtype: string; shape: number[] }>;
      names: string[]; activations: string[]; classes: string[] | null; meta: { architecture: unknown };
      outputs: number[][];
    }>(`
import json, sys
import numpy as np
d = np.load(${JSON.stringify(npzPaths[kind])})
x = np.asarray(json.load(sys.stdin), dtype=np.float64)
a = (x - d["feature_mean"]) / d["feature_std"]
acts = [str(s) for s in d["activations"]]
for i, act in enumerate(acts):
    z = a @ d["W%d" % (i + 1)].astype(np.float64)
    if "b%d" % (i + 1) in d.files:
        z = z + d["b%d" % (i + 1)].astype(np.float64)
    if act == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True)); a = e / e.sum(axis=1, keepdims=True)
    elif act == "sigmoid":
        a = 1 / (1 + np.exp(-z))
    elif act == "tanh":
        a = np.tanh(z)
    elif act == "relu":
        a = np.maximum(z, 0)
    elif act == "leaky_relu":
        a = np.where(z > 0, z, 0.01 * z)
    else:
        a = z
if "target_mean" in d.files:
    a = a * d["target_std"][0] + d["target_mean"][0]
print(json.dumps({
    "arrays": {k: {"dtype": d[k].dtype.str, "shape": list(d[k].shape)} for k in d.files},
    "names": [str(s) for s in d["input_names"]],
    "activations": acts,
    "classes": [str(s) for s in d["classes"]] if "classes" in d.files else None,
    "meta": json.loads(str(d["nnlab_json"])),
    "outputs": a.tolist(),
}))
`, usable.map((r) => encoded[r]));
    for (const [name, { descr, shape }] of Object.entries(arrayList(kind))) {
      expect(loaded.arrays[name], name).toEqual({ dtype: descr, shape });
    }
    expect(loaded.arrays.nnlab_json!.shape).toEqual([]);
    expect(loaded.names).toEqual(file.inputs);
    expect(loaded.activations).toEqual(file.architecture.layers.map((l) => l.activation));
    expect(loaded.classes).toEqual(classes);
    expect(loaded.meta.architecture).toEqual(file.architecture);

    const expected = await nnlabPredict(run.model, run.csv, classes);
    let worst = 0;
    usable.forEach((r, i) => {
      const out = loaded.outputs[i]!;
      const e = expected[r]!;
      if (!classes) {
        worst = Math.max(worst, relativeDelta(Number(e.prediction), out[0]!));
        return;
      }
      const probabilities = classes.length === 2 && out.length === 1 ? [1 - out[0]!, out[0]!] : out;
      probabilities.forEach((p, j) => { worst = Math.max(worst, Math.abs(p - e.probabilities![j]!)); });
      expect(classes[probabilities.indexOf(Math.max(...probabilities))]).toBe(e.prediction);
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});
