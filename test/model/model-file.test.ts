import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnarTable } from '../../engine/data/columnar';
import { columnarFromTable } from '../../engine/data/columnar';
import { prepareDataset } from '../../engine/data/dataset';
import { emptyIssues } from '../../engine/data/preprocessing';
import { modelFromNetwork, predictTable, type Model } from '../../engine/model';
import { Network } from '../../engine/network';
import { Random } from '../../engine/random';
import { deserializeModel, loadModel, MODEL_FORMAT_VERSION, saveModel, serializeModel, type ModelFile } from '../../main/model-file';
import { datasetOptions, networkSpec } from '../../main/training/plan';
import { trainRequest } from '../support/settings';
import { datasetPath, readDataset, tableOf } from '../data/helpers';

let iris: ColumnarTable;
let model: Model;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nnlab-model-'));
  iris = await readDataset('iris.csv');
  // Drop, not the default: iris has no gaps, so 'auto' would fill them in, and predictTable's test is of leaving rows out.
  const request = trainRequest(datasetPath('iris.csv'), { missingPolicy: 'drop', layers: [16, 8] });
  const data = prepareDataset(iris, datasetOptions(request));
  const network = new Network(networkSpec(request.settings, data).spec);
  const rng = new Random(17);
  network.initialize(rng);
  // Non-zero biases, so a bias lost or swapped on the way through the file would show.
  for (const layer of network.layers) for (let i = 0; i < layer.bias!.length; i++) layer.bias![i] = rng.normal();
  // Values whose bits are easy to lose in a text round trip: negative zero, a subnormal, a long mantissa.
  network.layers[0]!.weights.set([-0, 1e-40, Math.PI, -3.4e38], 0);
  model = modelFromNetwork(network, data.preprocessing);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The file as it would be read back from disk. */
const fileOf = (m: Model = model): ModelFile => JSON.parse(JSON.stringify(serializeModel(m, { run: 'test' }))) as ModelFile;
const bits = (values: Float32Array) => [...new Uint32Array(values.buffer, values.byteOffset, values.length)];
const predictions = (m: Model) => predictTable(m, iris);

describe('serializeModel', () => {
  it('describes the model: format, version, input names, architecture and preprocessing', () => {
    const file = fileOf();
    expect(file).toMatchObject({ format: 'nnlab-model', version: MODEL_FORMAT_VERSION, training: { run: 'test' } });
    expect(file.inputs).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(file.architecture).toEqual(model.spec);
    expect(file.preprocessing).toEqual(model.preprocessing);
    expect(file.layers.map((l) => [l.weights.shape, l.bias?.shape])).toEqual([[[4, 16], [16]], [[16, 8], [8]], [[8, 3], [3]]]);
  });

  it('stores weights as base64 little-endian float32', () => {
    const tensor = fileOf().layers[0]!.weights;
    expect(tensor.dtype).toBe('float32');
    const bytes = Buffer.from(tensor.data, 'base64');
    expect(bytes.length).toBe(4 * 16 * 4);
    const decoded = Array.from({ length: 64 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual([...model.layers[0]!.weights]);
    expect(Object.is(decoded[0], -0)).toBe(true);
    // The bytes of π as float32 (0x40490fdb), least significant first.
    expect([...bytes.subarray(8, 12)]).toEqual([0xdb, 0x0f, 0x49, 0x40]);
  });

  it('writes no bias tensors for a network without biases', () => {
    const spec = { ...model.spec, bias: false };
    const network = new Network(spec);
    network.initialize(new Random(2));
    const file = fileOf(modelFromNetwork(network, model.preprocessing));
    expect(file.layers.every((l) => l.bias === null)).toBe(true);
    const restored = deserializeModel(file, 'nobias.json');
    expect(restored.layers.map((l) => l.bias)).toEqual([null, null, null]);
  });
});

describe('deserializeModel', () => {
  it('reproduces every weight bit for bit, and the predictions', () => {
    const restored = deserializeModel(fileOf(), 'iris.json');
    expect(restored.spec).toEqual(model.spec);
    expect(restored.preprocessing).toEqual(model.preprocessing);
    restored.layers.forEach((layer, i) => {
      expect(bits(layer.weights)).toEqual(bits(model.layers[i]!.weights));
      expect(bits(layer.bias!)).toEqual(bits(model.layers[i]!.bias!));
    });
    const before = predictions(model);
    expect(before.every((p) => typeof p.prediction === 'string' && p.probabilities!.length === 3)).toBe(true);
    expect(predictions(restored)).toEqual(before);
  });

  it('refuses a newer format version, saying to update', () => {
    expect(() => deserializeModel({ ...fileOf(), version: MODEL_FORMAT_VERSION + 1 }, 'future.json')).toThrow(
      `future.json is an nnlab model of format version ${MODEL_FORMAT_VERSION + 1}, newer than this nnlab reads (${MODEL_FORMAT_VERSION}). Update nnlab to open it.`,
    );
  });

  it('refuses JSON that is not an nnlab model', () => {
    for (const data of [{ hello: 'world' }, [], null, 42, { format: 'keras', version: 1 }, { format: 'nnlab-model' }]) {
      expect(() => deserializeModel(data, 'other.json')).toThrow('other.json is not an nnlab model file.');
    }
  });

  it('says which part of a damaged model is missing, in words', () => {
    const file = fileOf() as unknown as { engine?: unknown };
    delete file.engine;
    expect(() => deserializeModel(file, 'partial.json')).toThrow('partial.json is a damaged nnlab model: engine: missing (expected string).');
  });

  it('calls a tensor of the wrong byte length damaged', () => {
    const file = fileOf();
    file.layers[0]!.weights.data = Buffer.from(file.layers[0]!.weights.data, 'base64').subarray(0, 60).toString('base64');
    expect(() => deserializeModel(file, 'short.json')).toThrow(
      'short.json is a damaged nnlab model: layer 1 weights should hold 64 float32 values but holds 60 bytes.',
    );
    const biased = fileOf();
    biased.layers[2]!.bias!.data = '';
    expect(() => deserializeModel(biased, 'bias.json')).toThrow('bias.json is a damaged nnlab model: layer 3 bias should hold 3 float32 values but holds 0 bytes.');
  });

  it('calls a tensor whose shape does not fit the architecture damaged', () => {
    const file = fileOf();
    const w = file.layers[1]!.weights;
    w.shape = [8, 8];
    w.data = Buffer.from(w.data, 'base64').subarray(0, 8 * 8 * 4).toString('base64');
    expect(() => deserializeModel(file, 'shape.json')).toThrow('shape.json is a damaged nnlab model: Layer 2 of the model has 64 weights; its architecture needs 128.');
  });

  it('calls a wrong number of layers damaged', () => {
    const file = fileOf();
    file.layers.pop();
    expect(() => deserializeModel(file, 'layers.json')).toThrow('layers.json is a damaged nnlab model: The model has 2 weight layers but its architecture needs 3.');
  });

  it('calls a missing bias or a preprocessing that does not fit the inputs damaged', () => {
    const noBias = fileOf();
    noBias.layers[0]!.bias = null;
    expect(() => deserializeModel(noBias, 'b.json')).toThrow('b.json is a damaged nnlab model: Layer 1 of the model is missing its biases.');
    const fewer = fileOf();
    fewer.preprocessing.features.pop();
    expect(() => deserializeModel(fewer, 'p.json')).toThrow("p.json is a damaged nnlab model: The model's preprocessing makes 3 inputs but its network takes 4.");
  });

  it('calls a file that breaks the schema damaged, naming the field', () => {
    const file = fileOf() as Partial<ModelFile>;
    delete file.preprocessing;
    expect(() => deserializeModel(file, 'schema.json')).toThrow(/^schema\.json is a damaged nnlab model: preprocessing: /);
    const dtype = fileOf();
    (dtype.layers[0]!.weights as { dtype: string }).dtype = 'float64';
    expect(() => deserializeModel(dtype, 'dtype.json')).toThrow(/^dtype\.json is a damaged nnlab model: layers\.0\.weights\.dtype: /);
  });
});

describe('predictTable', () => {
  it('predicts a file without the target, leaving rows it cannot encode (drop policy) empty and counted', () => {
    // Columns in another order and case, no species: found by name, as in a file to predict.
    const rows = [['0.2', '1.4', '3.5', '5.1'], ['2.3', '5.4', 'NA', '6.2'], ['1.8', '5.1', '3.0', '5.9']];
    const table = columnarFromTable(tableOf(['petal_width', 'PETAL_LENGTH', 'sepal_width', 'sepal_length'], rows, 'new.csv'), new Set(['NA']));
    const issues = emptyIssues();
    const result = predictTable(model, table, issues);
    expect(result[1]).toEqual({ prediction: null, probabilities: null });
    expect(issues.droppedMissing).toBe(1);
    // The other rows get the same prediction as the same measurements inside iris.
    const inIris = predictions(model);
    expect(result[0]).toEqual(inIris[0]);
    expect(result[2]).toEqual(inIris[149]);
  });
});

describe('saveModel and loadModel', () => {
  it('round-trips through a file', async () => {
    const path = join(dir, 'iris.model.json');
    await saveModel(path, model, { epochs: 0 });
    const restored = await loadModel(path);
    restored.layers.forEach((layer, i) => expect(bits(layer.weights)).toEqual(bits(model.layers[i]!.weights)));
    expect(predictions(restored)).toEqual(predictions(model));
  });

  it('says plainly when the file does not exist or is not JSON', async () => {
    const missing = join(dir, 'missing.json');
    await expect(loadModel(missing)).rejects.toThrow(`${missing} does not exist.`);
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"format": "nnlab-model", "vers');
    await expect(loadModel(broken)).rejects.toThrow(`${broken} is not an nnlab model file: it is not valid JSON.`);
    const csv = join(dir, 'data.json');
    await writeFile(csv, '[1, 2, 3]');
    await expect(loadModel(csv)).rejects.toThrow(`${csv} is not an nnlab model file.`);
  });
});
