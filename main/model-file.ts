import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Model } from '../engine/model';
import { inputNames } from '../engine/data/preprocessing';
import { networkFromModel } from '../engine/model';
import { writeFileAtomic } from './files/atomic';
import { plainIssues } from '../common/issue-text';
import { networkSpecSchema, preprocessingSchema } from '../common/model-spec';
import { ENGINE_VERSION } from './version';

/** The nnlab model format: see docs/model-format.md. */
const MODEL_FORMAT = 'nnlab-model';
export const MODEL_FORMAT_VERSION = 1;

const tensorSchema = z.object({
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
  /** Little-endian IEEE 754 float32 values, row-major, base64-encoded. */
  data: z.string(),
});

const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.number().int(),
  engine: z.string(),
  created: z.string(),
  inputs: z.array(z.string()),
  architecture: networkSpecSchema,
  preprocessing: preprocessingSchema,
  layers: z.array(z.object({ weights: tensorSchema, bias: tensorSchema.nullable() })),
  training: z.record(z.string(), z.unknown()).optional(),
});

export type ModelFile = z.infer<typeof modelFileSchema>;

function encodeTensor(values: Float32Array, shape: number[]): z.infer<typeof tensorSchema> {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return { shape, dtype: 'float32', data: bytes.toString('base64') };
}

function decodeTensor(tensor: z.infer<typeof tensorSchema>, where: string): Float32Array {
  const bytes = Buffer.from(tensor.data, 'base64');
  const expected = tensor.shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected * 4) throw new Error(`${where} should hold ${expected} float32 values but holds ${bytes.length} bytes.`);
  const values = new Float32Array(expected);
  for (let i = 0; i < expected; i++) values[i] = bytes.readFloatLE(i * 4);
  return values;
}

export function serializeModel(model: Model, training?: Record<string, unknown>): ModelFile {
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    engine: ENGINE_VERSION,
    created: new Date().toISOString(),
    inputs: inputNames(model.preprocessing),
    architecture: model.spec,
    preprocessing: model.preprocessing,
    layers: model.layers.map((l, i) => {
      const fanIn = i === 0 ? model.spec.inputs : model.spec.layers[i - 1]!.units;
      const units = model.spec.layers[i]!.units;
      return { weights: encodeTensor(l.weights, [fanIn, units]), bias: l.bias ? encodeTensor(l.bias, [units]) : null };
    }),
    ...(training ? { training } : {}),
  };
}

/** Checks a parsed model file and turns it into a model, or says plainly what is wrong with it. */
export function deserializeModel(data: unknown, source: string): Model {
  const head = z.object({ format: z.string(), version: z.number() }).safeParse(data);
  if (!head.success || head.data.format !== MODEL_FORMAT) throw new Error(`${source} is not an nnlab model file.`);
  if (head.data.version > MODEL_FORMAT_VERSION) {
    throw new Error(`${source} is an nnlab model of format version ${head.data.version}, newer than this nnlab reads (${MODEL_FORMAT_VERSION}). Update nnlab to open it.`);
  }
  const parsed = modelFileSchema.safeParse(data, plainIssues);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source} is a damaged nnlab model: ${issue.path.join('.') || 'the file'}: ${issue.message}.`);
  }
  const file = parsed.data;
  let model: Model;
  try {
    model = {
      spec: file.architecture,
      preprocessing: file.preprocessing,
      layers: file.layers.map((l, i) => ({
        weights: decodeTensor(l.weights, `layer ${i + 1} weights`),
        bias: l.bias ? decodeTensor(l.bias, `layer ${i + 1} bias`) : null,
      })),
    };
    networkFromModel(model, 1);
  } catch (error) {
    throw new Error(`${source} is a damaged nnlab model: ${(error as Error).message}`);
  }
  return model;
}

export async function saveModel(path: string, model: Model, training?: Record<string, unknown>): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(serializeModel(model, training), null, 1));
}

export async function loadModel(path: string): Promise<Model> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${path} does not exist.` : `${path} cannot be read (${code}).`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not an nnlab model file: it is not valid JSON.`);
  }
  return deserializeModel(data, path);
}
