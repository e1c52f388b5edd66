import { zipSync } from 'fflate';
import type { ExportFormatId as ExportFormat } from '../../common/export-formats';
import { serializeModel, loadModel } from '../model-file';
import type { RunStore } from '../store/run-store';
import { heldBackRows } from './held-back';
import { modelToJavaScript } from './js-export';
import { metricsCharts, metricsToCsv } from './metrics-export';
import { modelToNpz } from './npz-export';
import { modelToOnnx } from './onnx-export';
import { modelToPython } from './py-export';
import type { GoldenVector } from './standalone-model';
import { runToTorchScript } from './torch-export';
import { verifyJavaScript, verifyJson, verifyNpz, verifyOnnx, verifyPython, verifyTorchScript, type Verification } from './verify';

export { EXPORT_FORMATS } from '../../common/export-formats';
export type { ExportFormat };

interface ExportedFile {
  name: string;
  bytes: Uint8Array;
}

export interface ExportResult {
  format: ExportFormat;
  /** The main file first; metrics also come with their charts. */
  files: ExportedFile[];
  /** The same files as one download (a .zip when there are several). */
  bundle: ExportedFile;
  verification: Verification;
}

const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/**
 * Writes a run's model (or metrics) in one format and checks it against the in-app model on held-back
 * rows before anyone is told it succeeded.
 */
export async function exportRun(store: RunStore, id: string, format: ExportFormat): Promise<ExportResult> {
  const run = await store.get(id);
  const safeName = run.name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || run.id;
  if (format === 'metrics') {
    const metrics = await store.readMetrics(id);
    const charts = metricsCharts(metrics, run.task === 'regression');
    const files = [{ name: `${safeName}-metrics.csv`, bytes: text(metricsToCsv(metrics)) }, ...Object.entries(charts).map(([name, svg]) => ({ name: `${safeName}-${name}`, bytes: text(svg) }))];
    return {
      format, files,
      bundle: { name: `${safeName}-metrics.zip`, bytes: zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes]))) },
      verification: { verified: true, maxDelta: null, rows: metrics.length, message: `${metrics.length} epochs of metrics` },
    };
  }
  const model = await loadModel(store.modelPath(id)).catch(() => {
    throw new Error(`Run ${id} has no trained model yet: train it (or let it finish) first.`);
  });
  const held = await heldBackRows(run, model);
  const golden: GoldenVector[] = held.raw.slice(0, 8).map((row, i) => ({ row, prediction: held.expected[i]!.prediction, probabilities: held.expected[i]!.probabilities }));
  let file: ExportedFile;
  let verification: Verification;
  switch (format) {
    case 'json': {
      file = { name: `${safeName}.nnlab.json`, bytes: text(JSON.stringify(serializeModel(model, { run: run.id, name: run.name }), null, 1)) };
      verification = verifyJson(file.bytes, model, held);
      break;
    }
    case 'onnx':
      file = { name: `${safeName}.onnx`, bytes: modelToOnnx(model) };
      verification = await verifyOnnx(file.bytes, model, held);
      break;
    case 'npz':
      file = { name: `${safeName}.npz`, bytes: modelToNpz(model) };
      verification = verifyNpz(file.bytes, model, held);
      break;
    case 'js': {
      const code = modelToJavaScript(model, golden, run.name);
      file = { name: `${safeName}.js`, bytes: text(code) };
      verification = verifyJavaScript(code, held);
      break;
    }
    case 'py': {
      const code = modelToPython(model, golden, run.name);
      file = { name: `${safeName.replace(/[^\w]/g, '_')}.py`, bytes: text(code) };
      verification = verifyPython(code, held);
      break;
    }
    case 'torch': {
      const { delimiter, decimal, encoding, header, comments } = held.dialect;
      const code = runToTorchScript(run, { delimiter, decimal, encoding, header, comments });
      file = { name: `train_${run.id}.py`, bytes: text(code) };
      verification = verifyTorchScript(code, run.dataset.splits);
      break;
    }
  }
  return { format, files: [file], bundle: file, verification };
}
