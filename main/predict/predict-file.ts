import { readFile, stat } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { describeIssues } from '../../engine/data/dataset';
import { emptyIssues, type Preprocessing } from '../../engine/data/preprocessing';
import { findColumn } from '../../engine/data/columnar';
import { predictTable, type Model, type RowPrediction } from '../../engine/model';
import { metricsAgainstTruth, truthNotes, type TruthMetrics } from '../../engine/truth-metrics';
import { importCsv, type ImportOptions } from '../data/import/import-csv';
import { onnxModelFromBytes, predictTableOnnx, type OnnxModel } from '../export/onnx-predict';
import { deserializeModel } from '../model-file';

/**
 * Predicting a CSV file with a saved model: the one implementation behind `nnlab predict` and the lab's
 * predictWithModel. A model is an nnlab model file (JSON) or an ONNX model exported by nnlab.
 */
export type PredictionModel =
  | { kind: 'json'; model: Model; preprocessing: Preprocessing }
  | { kind: 'onnx'; onnx: OnnxModel; preprocessing: Preprocessing };

/** Larger model files are refused before anything reads them (a JSON model of 10 million weights is about 60 MB). */
export const MAX_MODEL_BYTES = 256 * 1024 ** 2;

/** Reads a model file; `nnlab predict` and the lab's openModelPath both come here. `source` names it in messages. */
export async function readPredictionModel(path: string, source = path): Promise<PredictionModel> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isFile() && info.size > MAX_MODEL_BYTES) throw new Error(tooLarge(source));
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!code) throw error;
    throw new Error(code === 'ENOENT' ? `${source} does not exist.` : code === 'EISDIR' ? `${source} is a folder, not a model file.` : `${source} cannot be read (${code}).`);
  }
  return parsePredictionModel(bytes, source);
}

function tooLarge(source: string): string {
  return `${source} is larger than ${MAX_MODEL_BYTES / 1024 ** 2} MB, the largest model file nnlab opens.`;
}

/**
 * A model from its bytes; `source` (a path or a file name) names it in messages. nnlab's model files are
 * JSON; a name ending in .onnx, or anything that does not start like JSON, is read as ONNX.
 */
export function parsePredictionModel(bytes: Uint8Array, source: string): PredictionModel {
  if (bytes.length > MAX_MODEL_BYTES) throw new Error(tooLarge(source));
  if (source.toLowerCase().endsWith('.onnx') || !startsLikeJson(bytes)) {
    const onnx = onnxModelFromBytes(bytes, source);
    return { kind: 'onnx', onnx, preprocessing: onnx.preprocessing };
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch {
    throw new Error(`${source} is not an nnlab model file: it is not valid JSON.`);
  }
  const model = deserializeModel(data, source);
  return { kind: 'json', model, preprocessing: model.preprocessing };
}

function startsLikeJson(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 64)).replace(/^\uFEFF/, '');
  return head.trimStart().startsWith('{');
}

/** The raw CSV columns a model reads, in its order (not the encoded inputs: "island", not "island=Biscoe"). */
export function modelColumns(preprocessing: Preprocessing): string[] {
  return preprocessing.features.map((f) => f.column);
}

export interface ColumnReport {
  /** Columns the model needs that the file lacks. */
  missing: string[];
  /** Columns of the file the model does not use (neither a feature nor the target). */
  unexpected: string[];
  /** The file's column holding the target, if it has one. */
  target: string | null;
}

/** Matches columns as the encoder does (engine/data/columnar.ts findColumn): by exact name, else ignoring case. */
function columnReport(preprocessing: Preprocessing, names: readonly string[]): ColumnReport {
  const find = (name: string) => names.find((n) => n === name) ?? names.find((n) => n.toLowerCase() === name.toLowerCase());
  const used = new Set<string>();
  const missing: string[] = [];
  for (const column of modelColumns(preprocessing)) {
    const found = find(column);
    if (found === undefined) missing.push(column);
    else used.add(found);
  }
  const target = find(preprocessing.target.column);
  if (target !== undefined) used.add(target);
  return { missing, unexpected: names.filter((n) => !used.has(n)), target: target ?? null };
}

function quoteList(names: readonly string[]): string {
  return names.map((c) => `"${c}"`).join(', ');
}

/** A file that lacks columns the model needs: nothing is predicted. The message names them. */
export class MissingColumnsError extends Error {
  override readonly name = 'MissingColumnsError';
  constructor(readonly source: string, readonly report: Omit<ColumnReport, 'target'>) {
    const { missing, unexpected } = report;
    super(`${source} lacks column${missing.length === 1 ? '' : 's'} the model needs: ${quoteList(missing)}.`
      + (unexpected.length > 0 ? ` It has ${unexpected.length === 1 ? 'a column' : 'columns'} the model does not use: ${quoteList(unexpected)}.` : ''));
  }
}

export interface FilePredictions {
  /** The file's name, as messages give it. */
  source: string;
  /** The file's columns, then "prediction", then "prob_<class>" for each class of a classifier. */
  header: string[];
  /** Every row: its cells as read, its prediction ('' when it got none), its probabilities. */
  rows: string[][];
  /** Every row's cells as the file has them, untrimmed: what the app shows in place of the first cells of `rows`. */
  fileCells: string[][];
  report: ColumnReport;
  /** Notes about reading the file (encoding, decimal comma, …). */
  importWarnings: string[];
  /** Notes about predicting: rows that got no prediction, imputed values, categories not seen in training. */
  predictionWarnings: string[];
  /** The predictions judged against the file's target column; null when the file has none. */
  truth: TruthMetrics | null;
  /** What the metrics leave out: rows without a truth, classes the model never saw. */
  truthNotes: string[];
}

/**
 * Reads the CSV file and predicts every row with the model. Throws MissingColumnsError when the file lacks
 * columns the model needs; columns it does not use are reported, not refused; the target may be absent.
 */
export async function predictFile(model: PredictionModel, file: string, options: ImportOptions = {}): Promise<FilePredictions> {
  const { preprocessing } = model;
  const imported = await importCsv(file, {
    ...options,
    missingMarkers: options.missingMarkers ?? preprocessing.missingMarkers,
    keepText: true,
  });
  const { table } = imported;
  const names = table.columns.map((c) => c.name);
  const report = columnReport(preprocessing, names);
  if (report.missing.length > 0) throw new MissingColumnsError(table.source, report);

  const issues = emptyIssues();
  const predictions: RowPrediction[] = model.kind === 'onnx'
    ? await predictTableOnnx(model.onnx, table, issues)
    : predictTable(model.model, table, issues);
  const target = preprocessing.target;
  const classes = target.kind === 'classes' ? target.classes : [];
  const header = [...names, 'prediction', ...classes.map((c) => `prob_${c}`)];
  const rows = predictions.map((p, r) => [
    ...imported.text![r]!,
    p.prediction === null ? '' : String(p.prediction),
    ...classes.map((_, i) => (p.probabilities ? String(p.probabilities[i]) : '')),
  ]);
  const truthColumn = report.target === null ? undefined : findColumn(table, report.target);
  const truth = truthColumn ? metricsAgainstTruth(target, truthColumn, predictions) : null;
  return {
    source: table.source,
    header,
    rows,
    fileCells: imported.raw!,
    report,
    importWarnings: imported.warnings,
    predictionWarnings: describeIssues(issues).map((w) => w.replace(/(were|was) left out/, 'got no prediction')),
    truth,
    truthNotes: truth ? truthNotes(truth, report.target!) : [],
  };
}

/** The predictions as the CSV file `nnlab predict` writes: a header row, then one line per input row. */
export function predictionsCsv(predictions: Pick<FilePredictions, 'header' | 'rows'>): string {
  return stringify([predictions.header, ...predictions.rows]);
}

/** "column(s) not used by the model: "a", "b"." as `nnlab predict` notes it. */
export function unusedColumnsNote(unexpected: readonly string[]): string {
  return `column${unexpected.length === 1 ? '' : 's'} not used by the model: ${quoteList(unexpected)}.`;
}
