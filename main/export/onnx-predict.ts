import * as ort from 'onnxruntime-web';
import type { ColumnarTable } from '../../engine/data/columnar';
import { emptyIssues, inputScaling, inputWidth, type EncodeIssues, type Preprocessing } from '../../engine/data/preprocessing';
import { encodeTable, type RowPrediction } from '../../engine/model';
import { preprocessingSchema } from '../../common/model-spec';
import { onnxMetadata } from './onnx-export';

/** An ONNX model written by nnlab: its graph, and the preprocessing it carries in its metadata. */
export interface OnnxModel {
  bytes: Uint8Array;
  preprocessing: Preprocessing;
}

/** An ONNX model's bytes (from a file or an upload); `source` names it in messages. */
export function onnxModelFromBytes(bytes: Uint8Array, source: string): OnnxModel {
  let metadata: Record<string, string>;
  try {
    metadata = onnxMetadata(bytes);
  } catch {
    throw new Error(`${source} is not an nnlab model file (JSON) nor an ONNX model.`);
  }
  const raw = metadata['nnlab.preprocessing'];
  if (!raw) throw new Error(`${source} is an ONNX model, but not one written by nnlab: it does not say how to encode CSV columns. Feed it encoded features with onnxruntime instead.`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`${source} carries damaged nnlab preprocessing (not JSON).`);
  }
  const parsed = preprocessingSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${source} carries damaged nnlab preprocessing (${parsed.error.issues[0]!.path.join('.')}).`);
  return { bytes, preprocessing: parsed.data };
}

/** Encodes the table's rows as the model was trained, then runs the ONNX graph on them with onnxruntime. */
export async function predictTableOnnx(model: OnnxModel, table: ColumnarTable, issues: EncodeIssues = emptyIssues()): Promise<RowPrediction[]> {
  const p = model.preprocessing;
  const width = inputWidth(p);
  const { x, usable } = encodeTable(p, table, issues);
  // The graph standardises by itself: give it the encoded values before scaling.
  const { mean, std } = inputScaling(p);
  for (let r = 0; r < usable.length; r++) for (let j = 0; j < width; j++) x[r * width + j] = x[r * width + j]! * std[j]! + mean[j]!;
  const result: RowPrediction[] = Array.from({ length: table.rows }, () => ({ prediction: null, probabilities: null }));
  if (usable.length === 0) return result;
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(model.bytes);
  try {
    const out = await session.run({ features: new ort.Tensor('float32', x.subarray(0, usable.length * width), [usable.length, width]) });
    const target = p.target;
    usable.forEach((r, i) => {
      if (target.kind === 'value') {
        result[r] = { prediction: (out.value!.data as Float32Array)[i]!, probabilities: null };
        return;
      }
      const k = target.classes.length;
      result[r] = {
        prediction: target.classes[Number((out.label!.data as BigInt64Array)[i])]!,
        probabilities: Array.from((out.probabilities!.data as Float32Array).subarray(i * k, (i + 1) * k)),
      };
    });
  } finally {
    await session.release();
  }
  return result;
}
