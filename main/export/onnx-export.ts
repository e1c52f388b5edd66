import onnxProto from 'onnx-proto';
import { LEAKY_SLOPE, type ActivationName } from '../../engine/activations';
import { inputNames, inputScaling, inputWidth } from '../../engine/data/preprocessing';
import type { Model } from '../../engine/model';
import { ENGINE_VERSION } from '../version';

const { onnx } = onnxProto;

/** The ONNX operator set the graph is written for (Softmax over the last axis as defined since 13). */
const ONNX_OPSET = 13;
/** Intermediate representation version 7 goes with opset 13. */
const IR_VERSION = 7;

function floatTensor(name: string, dims: number[], values: ArrayLike<number>) {
  const data = Float32Array.from(values);
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer) };
}

function doubleTensor(name: string, dims: number[], values: ArrayLike<number>) {
  const data = Float64Array.from(values);
  return { name, dims, dataType: onnx.TensorProto.DataType.DOUBLE, rawData: new Uint8Array(data.buffer) };
}

function valueInfo(name: string, elemType: number, shape: (number | string)[]) {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function node(opType: string, inputs: string[], outputs: string[], attributes: object[] = []) {
  return { opType, input: inputs, output: outputs, name: outputs[0], attribute: attributes };
}

const intAttribute = (name: string, i: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const floatAttribute = (name: string, f: number) => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });

/** Each activation as one ONNX node from `input` to `output`. */
const ONNX_ACTIVATIONS: Record<ActivationName, (input: string, output: string) => ReturnType<typeof node>> = {
  sigmoid: (input, output) => node('Sigmoid', [input], [output]),
  tanh: (input, output) => node('Tanh', [input], [output]),
  relu: (input, output) => node('Relu', [input], [output]),
  leaky_relu: (input, output) => node('LeakyRelu', [input], [output], [floatAttribute('alpha', LEAKY_SLOPE)]),
  linear: (input, output) => node('Identity', [input], [output]),
  softmax: (input, output) => node('Softmax', [input], [output], [intAttribute('axis', -1)]),
};

/**
 * An ONNX graph of the whole model after one-hot encoding and date expansion: one float32 input `features`
 * [N, inputs] in the order of `nnlab.inputs` (a date as its year, month, day and weekday), standardisation, every layer, the output activation; out come `probabilities`
 * [N, classes] and `label` [N] (the class index) for classes, or `value` [N, 1] in the target's units.
 */
export function modelToOnnx(model: Model): Uint8Array {
  const p = model.preprocessing;
  const width = inputWidth(p);
  const { mean: means, std: stds } = inputScaling(p);
  // Standardised in float64, as nnlab does before it rounds to float32: a year (2023 − 2023.28) loses four digits in float32.
  const initializer = [doubleTensor('feature_mean', [width], means), doubleTensor('feature_std', [width], stds)];
  const nodes = [
    node('Cast', ['features'], ['features_f64'], [intAttribute('to', onnx.TensorProto.DataType.DOUBLE)]),
    node('Sub', ['features_f64', 'feature_mean'], ['centred']),
    node('Div', ['centred', 'feature_std'], ['scaled_f64']),
    node('Cast', ['scaled_f64'], ['x0'], [intAttribute('to', onnx.TensorProto.DataType.FLOAT)]),
  ];
  let x = 'x0';
  let fanIn = model.spec.inputs;
  model.spec.layers.forEach((layer, i) => {
    const stored = model.layers[i]!;
    initializer.push(floatTensor(`W${i + 1}`, [fanIn, layer.units], stored.weights));
    nodes.push(node('MatMul', [x, `W${i + 1}`], [`z${i + 1}`]));
    let z = `z${i + 1}`;
    if (stored.bias) {
      initializer.push(floatTensor(`b${i + 1}`, [layer.units], stored.bias));
      nodes.push(node('Add', [z, `b${i + 1}`], [`zb${i + 1}`]));
      z = `zb${i + 1}`;
    }
    nodes.push(ONNX_ACTIVATIONS[layer.activation](z, `a${i + 1}`));
    x = `a${i + 1}`;
    fanIn = layer.units;
  });
  const outputs = [];
  const target = p.target;
  if (target.kind === 'classes') {
    const classes = target.classes.length;
    if (classes === 2 && fanIn === 1) {
      // One sigmoid output is P(classes[1]); the graph spells out both probabilities.
      initializer.push(floatTensor('one', [1], [1]));
      nodes.push(node('Sub', ['one', x], ['p0']), node('Concat', ['p0', x], ['probabilities'], [intAttribute('axis', 1)]));
    } else {
      nodes.push(node('Identity', [x], ['probabilities']));
    }
    nodes.push(node('ArgMax', ['probabilities'], ['label'], [intAttribute('axis', 1), intAttribute('keepdims', 0)]));
    outputs.push(valueInfo('probabilities', onnx.TensorProto.DataType.FLOAT, ['N', classes]), valueInfo('label', onnx.TensorProto.DataType.INT64, ['N']));
  } else {
    initializer.push(floatTensor('target_std', [1], [target.std]), floatTensor('target_mean', [1], [target.mean]));
    nodes.push(node('Mul', [x, 'target_std'], ['scaled']), node('Add', ['scaled', 'target_mean'], ['value']));
    outputs.push(valueInfo('value', onnx.TensorProto.DataType.FLOAT, ['N', 1]));
  }
  const message = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'nnlab',
    producerVersion: ENGINE_VERSION,
    docString: 'A multilayer perceptron trained with nnlab. Input: the encoded features in the order of metadata nnlab.inputs.',
    graph: {
      name: 'nnlab_mlp',
      node: nodes,
      initializer,
      input: [valueInfo('features', onnx.TensorProto.DataType.FLOAT, ['N', width])],
      output: outputs,
    },
    metadataProps: [
      { key: 'nnlab.inputs', value: JSON.stringify(inputNames(p)) },
      { key: 'nnlab.preprocessing', value: JSON.stringify(p) },
      { key: 'nnlab.architecture', value: JSON.stringify(model.spec) },
      ...(target.kind === 'classes' ? [{ key: 'nnlab.classes', value: JSON.stringify(target.classes) }] : []),
    ],
  });
  return onnx.ModelProto.encode(message).finish();
}

/** Reads back what nnlab wrote into an ONNX file's metadata (to predict raw CSV rows with it). */
export function onnxMetadata(bytes: Uint8Array): Record<string, string> {
  const model = onnx.ModelProto.decode(bytes);
  return Object.fromEntries((model.metadataProps ?? []).map((m) => [m.key ?? '', m.value ?? '']));
}
