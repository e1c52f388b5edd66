import { z } from 'zod';
import type { SplitMetrics } from '../engine/metrics';
import type { EpochMetrics } from '../engine/trainer';
import type { DatasetSummary } from './dataset-summary';
import type { DamagedRun, RunRecord } from './run-record';

import type { Progress, SessionState } from './worker-protocol';
import { EXPORT_FORMATS, type ExportFormatId } from './export-formats';
import { importOptionsSchema, trainSettingsSchema, type TrainSettings } from './settings';

// The one contract between the user interface and the lab, carried by every transport: Electron IPC
// (preload), a WebSocket (nnlab serve), or a direct call (tests). The renderer imports only these types.

export interface DatasetHandle {
  id: string;
  name: string;
  rows: number;
  summary: DatasetSummary;
}

export interface ExampleDataset {
  id: string;
  name: string;
  description: string;
  /** Generated 2-D sets take a noise level from 0 to 1 (openExample's second argument); this is its default. */
  noise?: number;
}

export interface RunListItem {
  id: string;
  name: string;
  status: string;
  dataset: string;
  created: string;
  updated: string;
  task: string;
  target: string;
  architecture: string;
  epochs: number;
  val: RunRecord['summary']['val'];
  test: RunRecord['summary']['test'];
  metric: { name: 'accuracy' | 'rmse'; value: number | null };
}

export interface SessionInfo {
  run: string;
  name: string;
  state: SessionState;
  progress: Progress | null;
  /** Every epoch's metrics so far, so a reloaded window can redraw its charts. */
  epochs: EpochMetrics[];
  warnings: string[];
}

export interface SnapshotLayer {
  inputs: number;
  units: number;
  activation: string;
  weights: ArrayLike<number>;
  bias: ArrayLike<number> | null;
}

/** A finished (or stopped) run's model on its held-out rows: the test split, else validation, else training. */
export interface RunEvaluation {
  run: string;
  split: 'test' | 'validation' | 'training';
  task: 'binary' | 'multiclass' | 'regression';
  target: string;
  metrics: SplitMetrics;
  /** The feature columns, in the order of each row's `features`. */
  features: string[];
  classes: string[] | null;
  /** confusion[t][p]: rows of true class t predicted as class p (classification only). */
  confusion: number[][] | null;
  /** At most the first 1,000 rows of the split, with feature values as the model saw them before scaling. */
  rows: { features: (number | string | null)[]; truth: string | number; prediction: string | number; probabilities: number[] | null }[];
  /** Rows in the split. */
  total: number;
}

export interface ExportFormat {
  id: ExportFormatId;
  label: string;
}

/** An exported file, checked against nnlab before it is handed over. */
export interface ExportedModel {
  fileName: string;
  mime: string;
  /** The file's bytes, base64-encoded so that every transport carries them the same way. */
  base64: string;
  verified: boolean;
  /** Largest difference from nnlab's outputs on held-back rows, relative to each value's size. */
  maxDelta: number | null;
  /** "verified: max |Δ| = … on N held-back rows", or why it could not be checked. */
  message: string;
}

/** A model opened to predict new rows: an nnlab model file (JSON), an ONNX model exported by nnlab, or a run's model. */
export interface ModelHandle {
  id: string;
  name: string;
  kind: 'json' | 'onnx';
  /** The CSV columns the model reads, in its order ("island", not its one-hot inputs). */
  inputs: string[];
  /** The column it predicts (a file to predict need not have it). */
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  /** The classes of a classifier, in the order of its prob_<class> columns. */
  classes?: string[];
  /** The run the model came from, when it was opened with openRunModel. */
  run?: string;
}

/**
 * Every row of a CSV file predicted by a model: the rows' own cells, then "prediction", then "prob_<class>" for
 * each class of a classifier (the columns `nnlab predict` writes). A file that lacks columns the model needs
 * is refused with a message naming them; columns the model does not use are reported here.
 */
export interface ModelPredictions {
  model: string;
  dataset: string;
  columns: string[];
  /** At most the first 1,000 rows, for display; csvBase64 holds them all. */
  rows: string[][];
  /** Rows in the file. */
  total: number;
  /** Rows that got a prediction (a row with a missing value may not, under the drop policy). */
  predicted: number;
  /** Columns of the file the model does not use (neither an input nor the target). */
  unexpectedColumns: string[];
  /** Whether the file has the target column too (its cells stay next to the predictions). */
  hasTarget: boolean;
  /** Plain notes: how the file was read, rows that got no prediction, categories not seen in training. */
  warnings: string[];
  /** A name to save the predictions under: "<file>-predictions.csv". */
  fileName: string;
  /** Every row as CSV, base64-encoded: the file `nnlab predict` writes. */
  csvBase64: string;
}

/** What the lab tells every open window without being asked. */
export type LabEvent =
  | { type: 'progress'; run: string; progress: Progress }
  | { type: 'epochs'; run: string; metrics: EpochMetrics[] }
  | { type: 'done'; run: string; status: string; message: string }
  | { type: 'ended'; run: string; message: string }
  | { type: 'warning'; run: string; message: string }
  | { type: 'runs-changed' };

const id = z.string().min(1).max(200);
const rolesSchema = z.object({
  target: z.string().max(1000).optional(),
  ignore: z.array(z.string().max(1000)).max(10_000).optional(),
  task: z.enum(['classification', 'regression']).optional(),
}).strict();

/** Every method with the schema of its arguments; both transports validate against these before calling. */
export const labMethods = {
  version: z.tuple([]),
  exampleDatasets: z.tuple([]),
  openExample: z.tuple([id, z.number().min(0).max(1).optional()]),
  openDatasetPath: z.tuple([z.string().min(1).max(4096), importOptionsSchema.optional()]),
  uploadDataset: z.tuple([z.string().min(1).max(255), z.instanceof(Uint8Array), importOptionsSchema.optional()]),
  inspectDataset: z.tuple([id, rolesSchema, importOptionsSchema.optional()]),
  listRuns: z.tuple([]),
  getRun: z.tuple([id]),
  renameRun: z.tuple([id, z.string().min(1).max(200)]),
  setRunNotes: z.tuple([id, z.string().max(100_000)]),
  deleteRun: z.tuple([id]),
  duplicateRun: z.tuple([id]),
  createSession: z.tuple([id, trainSettingsSchema]),
  resumeRun: z.tuple([id, z.number().int().min(1).optional()]),
  sessions: z.tuple([]),
  start: z.tuple([id]),
  pause: z.tuple([id]),
  resume: z.tuple([id]),
  step: z.tuple([id, z.number().int().min(1).max(1_000_000)]),
  stop: z.tuple([id]),
  setLearningRate: z.tuple([id, z.number().positive().finite()]),
  snapshot: z.tuple([id]),
  evaluateRun: z.tuple([id]),
  exportFormats: z.tuple([]),
  exportModel: z.tuple([id, z.enum(EXPORT_FORMATS)]),
  openModelPath: z.tuple([z.string().min(1).max(4096)]),
  uploadModel: z.tuple([z.string().min(1).max(255), z.instanceof(Uint8Array)]),
  openRunModel: z.tuple([id]),
  predictWithModel: z.tuple([id, id]),
} as const;

export type LabMethod = keyof typeof labMethods;

export interface LabApi {
  version(): Promise<string>;
  exampleDatasets(): Promise<ExampleDataset[]>;
  /** `noise` (0 to 1) applies to the generated 2-D sets only. */
  openExample(id: string, noise?: number): Promise<DatasetHandle>;
  /** Electron and local hosts only: a path chosen in a dialog or dropped on the window, checked by the host. */
  openDatasetPath(path: string, options?: z.infer<typeof importOptionsSchema>): Promise<DatasetHandle>;
  /** A file's bytes sent from a browser. */
  uploadDataset(name: string, bytes: Uint8Array, options?: z.infer<typeof importOptionsSchema>): Promise<DatasetHandle>;
  inspectDataset(id: string, roles: z.infer<typeof rolesSchema>, options?: z.infer<typeof importOptionsSchema>): Promise<DatasetHandle>;
  listRuns(): Promise<{ runs: RunListItem[]; damaged: DamagedRun[] }>;
  getRun(id: string): Promise<{ run: RunRecord; metrics: EpochMetrics[] }>;
  renameRun(id: string, name: string): Promise<void>;
  setRunNotes(id: string, notes: string): Promise<void>;
  deleteRun(id: string): Promise<void>;
  /** The settings and dataset of a run, to start a new experiment from. */
  duplicateRun(id: string): Promise<{ settings: TrainSettings; dataset: DatasetHandle }>;
  createSession(datasetId: string, settings: TrainSettings): Promise<SessionInfo>;
  resumeRun(id: string, epochs?: number): Promise<SessionInfo>;
  sessions(): Promise<SessionInfo[]>;
  start(run: string): Promise<SessionInfo>;
  pause(run: string): Promise<SessionInfo>;
  resume(run: string): Promise<SessionInfo>;
  step(run: string, count: number): Promise<SessionInfo>;
  stop(run: string): Promise<SessionInfo>;
  setLearningRate(run: string, learningRate: number): Promise<SessionInfo>;
  /** The weights now: from the training process while the run trains, else from its saved model. */
  snapshot(run: string): Promise<SnapshotLayer[]>;
  /** Predictions of a run's saved model on its held-out rows, against the truth. */
  evaluateRun(run: string): Promise<RunEvaluation>;
  exportFormats(): Promise<ExportFormat[]>;
  /** A run's saved model as a file to save or download. */
  exportModel(run: string, format: ExportFormatId): Promise<ExportedModel>;
  /** Electron and local hosts only: a model file (.json or .onnx) chosen in a dialog or dropped on the window, checked by the host. */
  openModelPath(path: string): Promise<ModelHandle>;
  /** A model file's bytes sent from a browser. */
  uploadModel(name: string, bytes: Uint8Array): Promise<ModelHandle>;
  /** A stored run's saved model (its model.json). */
  openRunModel(run: string): Promise<ModelHandle>;
  /** Predicts every row of an open dataset with an open model; refuses a file that lacks columns the model needs. */
  predictWithModel(modelId: string, datasetId: string): Promise<ModelPredictions>;
}

/** A client-side LabApi adds a way to hear events. */
export interface LabClient extends LabApi {
  subscribe(listener: (event: LabEvent) => void): () => void;
}
