import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute } from 'node:path';
import type { ModelHandle, ModelPredictions, TruthReport } from '../../common/lab-api';
import { withFiniteNumbers } from '../../common/json-numbers';
import type { TruthMetrics } from '../../engine/truth-metrics';
import {
  MissingColumnsError, modelColumns, parsePredictionModel, predictFile, predictionsCsv, readPredictionModel, type PredictionModel,
} from '../predict/predict-file';
import type { RunStore } from '../store/run-store';
import type { OpenDataset } from './dataset-registry';
import { LabError, plainError } from './lab-error';
import { uploadName } from './upload-name';

/** Rows of predictions sent for display; the CSV to download holds them all. */
export const PREDICTION_DISPLAY_ROWS = 1000;
/** Open models kept in memory at once; opening another forgets the one opened longest ago. */
const MAX_OPEN_MODELS = 8;

interface OpenModel {
  handle: ModelHandle;
  model: PredictionModel;
}

/** The models windows have opened to predict with (files, uploads, runs' models), by id; the oldest are forgotten. */
export class ModelRegistry {
  private readonly open = new Map<string, OpenModel>();

  constructor(private readonly store: RunStore) {}

  async openPath(path: string): Promise<ModelHandle> {
    if (!isAbsolute(path)) throw new LabError('A model path must be absolute.');
    if (!existsSync(path) || !statSync(path).isFile()) throw new LabError(`${path} is not a file.`);
    const name = basename(path);
    return this.adopt(name, await readPredictionModel(path, name).catch(plainError));
  }

  /** A model file sent from a browser: read in memory, nothing is written. */
  async upload(name: string, bytes: Uint8Array): Promise<ModelHandle> {
    const safe = uploadName(name, 'model.json');
    let model: PredictionModel;
    try {
      model = parsePredictionModel(bytes, safe);
    } catch (error) {
      plainError(error);
    }
    return this.adopt(safe, model);
  }

  async openRun(run: string): Promise<ModelHandle> {
    const record = await this.store.get(run);
    const path = this.store.modelPath(run);
    if (!existsSync(path)) throw new LabError(`Run “${record.name}” has no saved model yet: finish or stop it first.`);
    return this.adopt(record.name, await readPredictionModel(path, `${record.name} (model.json)`).catch(plainError), run);
  }

  /** The rows of an open dataset predicted with an open model, as `nnlab predict` writes them (main/predict/predict-file.ts). */
  async predict(modelId: string, dataset: OpenDataset): Promise<ModelPredictions> {
    const open = this.open.get(modelId);
    if (!open) throw new LabError('That model is no longer open; open it again.');
    let result;
    try {
      result = await predictFile(open.model, dataset.path, dataset.options);
    } catch (error) {
      if (error instanceof MissingColumnsError) throw new LabError(error.message);
      throw error;
    }
    const stem = basename(dataset.name, extname(dataset.name)) || 'data';
    const prediction = result.header.length - (open.handle.classes?.length ?? 0) - 1;
    return {
      model: modelId,
      dataset: dataset.id,
      columns: result.header,
      // Shown as the file has them (0 stays 0, 1.51761 keeps its digits); the download is nnlab predict's CSV.
      rows: result.rows.slice(0, PREDICTION_DISPLAY_ROWS).map((row, r) => [...result.fileCells[r]!, ...row.slice(result.fileCells[r]!.length)]),
      total: result.rows.length,
      predicted: result.rows.filter((row) => row[prediction] !== '').length,
      unexpectedColumns: result.report.unexpected,
      hasTarget: result.report.target !== null,
      warnings: [...result.importWarnings, ...result.predictionWarnings, ...result.truthNotes],
      fileName: `${stem}-predictions.csv`,
      csvBase64: Buffer.from(predictionsCsv(result), 'utf8').toString('base64'),
      truth: truthReport(result.truth, open.handle.classes ?? null),
    };
  }

  private adopt(name: string, model: PredictionModel, run?: string): ModelHandle {
    const target = model.preprocessing.target;
    // Each opening is its own handle; the models opened longest ago are forgotten.
    const id = randomBytes(8).toString('hex');
    const handle: ModelHandle = {
      id,
      name,
      kind: model.kind,
      inputs: modelColumns(model.preprocessing),
      target: target.column,
      task: target.kind === 'value' ? 'regression' : target.classes.length === 2 ? 'binary' : 'multiclass',
      ...(target.kind === 'classes' ? { classes: [...target.classes] } : {}),
      ...(run ? { run } : {}),
    };
    this.open.set(id, { handle, model });
    while (this.open.size > MAX_OPEN_MODELS) this.open.delete(this.open.keys().next().value!);
    return handle;
  }
}

/** A file's metrics as the window gets them: numbers that are not finite (R² of a constant truth) become null. */
function truthReport(truth: TruthMetrics | null, classes: string[] | null): TruthReport | null {
  if (!truth?.metrics) return null;
  return { rows: truth.rows, metrics: withFiniteNumbers(truth.metrics), classes, confusion: truth.confusion };
}
