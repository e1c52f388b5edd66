import { unzipSync, zipSync } from 'fflate';
import { inputNames, inputScaling } from '../../engine/data/preprocessing';
import type { Model } from '../../engine/model';
import { decodeNpy, encodeNpy, type NpyArray } from './npy';

/**
 * A NumPy .npz archive: W1, b1, … (float32, W of shape [inputs, units] so that z = x @ W + b), the input
 * scaling and names, activations, the class labels or target scaling, and `nnlab_json` with everything.
 */
export function modelToNpz(model: Model): Uint8Array {
  const arrays: Record<string, NpyArray> = {};
  let fanIn = model.spec.inputs;
  model.spec.layers.forEach((layer, i) => {
    arrays[`W${i + 1}`] = { dtype: '<f4', shape: [fanIn, layer.units], data: model.layers[i]!.weights };
    const bias = model.layers[i]!.bias;
    if (bias) arrays[`b${i + 1}`] = { dtype: '<f4', shape: [layer.units], data: bias };
    fanIn = layer.units;
  });
  const { mean, std } = inputScaling(model.preprocessing);
  arrays.feature_mean = { dtype: '<f8', shape: [mean.length], data: mean };
  arrays.feature_std = { dtype: '<f8', shape: [std.length], data: std };
  arrays.input_names = { dtype: 'unicode', shape: [model.spec.inputs], data: inputNames(model.preprocessing) };
  arrays.activations = { dtype: 'unicode', shape: [model.spec.layers.length], data: model.spec.layers.map((l) => l.activation) };
  const target = model.preprocessing.target;
  if (target.kind === 'classes') arrays.classes = { dtype: 'unicode', shape: [target.classes.length], data: target.classes };
  else {
    arrays.target_mean = { dtype: '<f8', shape: [1], data: [target.mean] };
    arrays.target_std = { dtype: '<f8', shape: [1], data: [target.std] };
  }
  arrays.nnlab_json = { dtype: 'unicode', shape: [], data: [JSON.stringify({ architecture: model.spec, preprocessing: model.preprocessing })] };
  const files = Object.fromEntries(Object.entries(arrays).map(([name, array]) => [`${name}.npy`, encodeNpy(array)]));
  return zipSync(files, { level: 0 });
}

/** Reads an .npz back into arrays by name. */
export function readNpz(bytes: Uint8Array): Record<string, ReturnType<typeof decodeNpy>> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name.replace(/\.npy$/, ''), decodeNpy(data)]));
}
