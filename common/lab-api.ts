import { z } from 'zod';
import type { SplitMetrics } from '../engine/metrics';
import type { EpochMetrics } from '../engine/trainer';
import type { GradientCheckReport } from '../engine/gradient-check';
import type { TrainingHealth } from '../engine/health';
import type { StepTrace } from '../engine/step-trace';
import type { RunBaselines } from './baselines';
import type { BoundaryData } from './boundary-data';
import type { DatasetSummary } from './dataset-summary';
import type { DamagedRun, RunRecord } from './run-record';

import type { Progress, SessionState } from './worker-protocol';
import { EXPORT_FORMATS, type ExportFormatId } from './export-formats';
import { plainIssues } from './issue-text';
import { numberSchema, RULES } from './rules';
import { MAX_UPLOAD_BYTES } from './wire';
import type { QualityMetrics } from './model-spec';
import { datasetRolesSchema, experimentRefSchema, importOptionsSchema, runNameSchema, trainSettingsSchema, type DatasetRoles, type TrainSettings } from './settings';
import type { FoldOf } from './experiment';
import { sweepChoiceSchema, type SweepOf } from './sweep';

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
  /** Absent in lists from before the field existed. */
  train?: RunRecord['summary']['train'];
  val: RunRecord['summary']['val'];
  test: RunRecord['summary']['test'];
  /** The validation rows' score (null without validation rows). */
  metric: { name: 'accuracy' | 'rmse'; value: number | null };
  /** The cross-validation experiment the run is a fold of. */
  experiment?: RunRecord['experiment'];
  /** The run and epoch this run was forked from. */
  parent?: RunRecord['parent'];
  /** The seed sweep the run is one seed of, and the run's seed (absent in lists from before sweeps). */
  sweep?: RunRecord['sweep'];
  seed?: number;
}

/** What a run was made of, as the bench shows it: its dataset (open in the lab), its columns' roles and its settings. */
export interface RunBench {
  settings: TrainSettings;
  roles: DatasetRoles;
  dataset: DatasetHandle;
}

/** Backpropagation of a run checked against finite differences, layer by layer (engine/gradient-check.ts). */
export interface RunGradientCheck extends GradientCheckReport {
  run: string;
  /** Which weights were checked: the saved model, or the last checkpoint of a run that has none yet (a paused run's weights now). */
  weights: 'model' | 'checkpoint';
}

/** One mini-batch trained in detail: the engine's trace of it, and the session as the step left it. */
export interface RunStepTrace {
  run: string;
  status: SessionStatus;
  trace: StepTrace;
}

/** A training session as a command leaves it. */
export interface SessionStatus {
  run: string;
  name: string;
  state: SessionState;
  progress: Progress | null;
  warnings: string[];
}

/** A session with its history: what creating, resuming and listing sessions answer, so a window can draw its charts. */
export interface SessionInfo extends SessionStatus {
  /** Every epoch's metrics so far. */
  epochs: EpochMetrics[];
}

/** A sweep run's session, with the sweep it belongs to. */
export interface SweepSessionInfo extends SessionInfo {
  sweep: SweepOf;
}

/** A fold run's session, with the experiment it belongs to. */
export interface FoldSessionInfo extends SessionInfo {
  experiment: FoldOf;
}

const crossValidationSchema = z.object({
  folds: numberSchema(RULES.folds),
  index: z.number().int().nonnegative(),
  experiment: experimentRefSchema.nullable(),
}).strict().refine((cv) => cv.index < cv.folds, { message: 'the fold index must be below the number of folds' });
export type CrossValidationChoice = z.infer<typeof crossValidationSchema>;

/** One saved epoch of a run's checkpoint timeline. */
export interface RunCheckpoint {
  epoch: number;
  step: number;
  metrics: EpochMetrics;
}

export interface SnapshotLayer {
  inputs: number;
  units: number;
  activation: string;
  weights: ArrayLike<number>;
  bias: ArrayLike<number> | null;
  /** Each unit on the last mini-batch, while the run trains (engine/activation-stats.ts UnitStats). */
  stats?: { rows: number; mean: ArrayLike<number>; meanAbs: ArrayLike<number>; min: ArrayLike<number>; max: ArrayLike<number>; active: ArrayLike<number> };
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
  /**
   * At most the first 1,000 rows of the split: the feature cells as the file has them (their values before
   * scaling for a run whose file cannot be read as text), and `truthCell`, the target's cell as the file has it.
   */
  rows: { features: (number | string | null)[]; truth: string | number; truthCell?: string; prediction: string | number; probabilities: number[] | null }[];
  /** Rows in the split. */
  total: number;
  /** The run's baselines on its splits (run.json's summary.baselines); null for a run made before them. */
  baselines: RunBaselines | null;
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
  /** The predictions judged against the file's target column; null when it has none or no row could be judged. */
  truth: TruthReport | null;
}

/** Predictions judged against a file's own target column, as `nnlab predict` reports them. */
export interface TruthReport {
  /** Rows judged: predicted, with a truth the model knows (what was left out is said in the warnings). */
  rows: number;
  metrics: QualityMetrics;
  classes: string[] | null;
  /** confusion[t][p] over the model's classes (classifiers only). */
  confusion: number[][] | null;
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
const path = z.string().min(1).max(4096);
const fileName = z.string().min(1).max(255);
const uploadBytes = z.instanceof(Uint8Array).refine((bytes) => bytes.length <= MAX_UPLOAD_BYTES, `a file to upload may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);

/** One method of the contract: the schema of its arguments, and (as a type only) what it resolves to. */
interface MethodSpec<Args extends z.ZodTuple, Result> {
  readonly args: Args;
  /** Never set: carries the result type, so the LabApi type follows from this table alone. */
  readonly result?: Result;
}

const method = <Result>() => <Args extends z.ZodTuple>(args: Args): MethodSpec<Args, Result> => ({ args });

/**
 * The contract, method by method: the argument schemas every transport's receiving side validates with
 * (once, where the message enters the process), and the result types. LabApi is derived from this table.
 */
export const labMethods = {
  version: method<string>()(z.tuple([])),
  exampleDatasets: method<ExampleDataset[]>()(z.tuple([])),
  /** `noise` (0 to 1) applies to the generated 2-D sets only. */
  openExample: method<DatasetHandle>()(z.tuple([id, numberSchema(RULES.noise).optional()])),
  /** Electron and local hosts only: a path chosen in a dialog or dropped on the window, checked by the host. */
  openDatasetPath: method<DatasetHandle>()(z.tuple([path, importOptionsSchema.optional()])),
  /** A file's bytes sent from a browser. */
  uploadDataset: method<DatasetHandle>()(z.tuple([fileName, uploadBytes, importOptionsSchema.optional()])),
  inspectDataset: method<DatasetHandle>()(z.tuple([id, datasetRolesSchema, importOptionsSchema.optional()])),
  listRuns: method<{ runs: RunListItem[]; damaged: DamagedRun[] }>()(z.tuple([])),
  getRun: method<{ run: RunRecord; metrics: EpochMetrics[] }>()(z.tuple([id])),
  renameRun: method<void>()(z.tuple([id, runNameSchema])),
  setRunNotes: method<void>()(z.tuple([id, z.string().max(100_000)])),
  deleteRun: method<void>()(z.tuple([id])),
  /** The settings, roles and dataset of a run, to start a new experiment from. */
  duplicateRun: method<RunBench>()(z.tuple([id])),
  /** The dataset (opened again), roles and settings a run was made with, so every window shows that run's bench. */
  runBench: method<RunBench>()(z.tuple([id])),
  /** A new run of an open dataset with these column roles and settings, ready to start or step. */
  createSession: method<SessionInfo>()(z.tuple([id, datasetRolesSchema, trainSettingsSchema])),
  /**
   * Fold `index` (from 0) of a cross-validation experiment as a new run of an open dataset, ready to start: tested
   * on that fold, validated on part of the others. `experiment` null begins a new experiment (its id and name are
   * in the answer); the later folds pass it on.
   */
  createFoldSession: method<FoldSessionInfo>()(z.tuple([id, datasetRolesSchema, trainSettingsSchema, crossValidationSchema])),
  /** Seed `index` (from 0) of a seed sweep as a new run of an open dataset, ready to start: seed settings.seed + index. */
  createSweepSession: method<SweepSessionInfo>()(z.tuple([id, datasetRolesSchema, trainSettingsSchema, sweepChoiceSchema])),
  resumeRun: method<SessionInfo>()(z.tuple([id, numberSchema(RULES.epochs).optional()])),
  sessions: method<SessionInfo[]>()(z.tuple([])),
  start: method<SessionStatus>()(z.tuple([id])),
  pause: method<SessionStatus>()(z.tuple([id])),
  resume: method<SessionStatus>()(z.tuple([id])),
  step: method<SessionStatus>()(z.tuple([id, numberSchema(RULES.steps)])),
  stop: method<SessionStatus>()(z.tuple([id])),
  setLearningRate: method<SessionStatus>()(z.tuple([id, numberSchema(RULES.learningRate)])),
  /** Slow motion: at most this many mini-batches a second, each reported as it is done; null trains at full speed. */
  setSpeed: method<SessionStatus>()(z.tuple([id, numberSchema(RULES.stepsPerSecond).nullable()])),
  /** A run rolled back after diverging (state 'rolled-back') trains on from its last good epoch at this learning rate. */
  continueAfterDivergence: method<SessionStatus>()(z.tuple([id, numberSchema(RULES.learningRate)])),
  /** Exactly one mini-batch of a paused (or ready) run, with its forward pass, backward pass and update as the engine computed them. */
  stepInDetail: method<RunStepTrace>()(z.tuple([id])),
  /** The weights now: from the training process while the run trains, else from its saved model. */
  snapshot: method<SnapshotLayer[]>()(z.tuple([id])),
  /** Histograms of each layer over time and warnings with what to try: as last measured while the run trains, else as it ended; null before any. */
  health: method<TrainingHealth | null>()(z.tuple([id])),
  /** The epochs of a run's checkpoint timeline, oldest first. */
  checkpoints: method<RunCheckpoint[]>()(z.tuple([id])),
  /** The weights a run had at the end of a saved epoch. */
  checkpointSnapshot: method<SnapshotLayer[]>()(z.tuple([id, numberSchema(RULES.epochs)])),
  /** A new run from a saved epoch's weights and optimizer state, with these settings (the architecture must match); ready to start. */
  forkRun: method<SessionInfo>()(z.tuple([id, numberSchema(RULES.epochs), trainSettingsSchema])),
  /** Predictions of a run's saved model on its held-out rows, against the truth. */
  evaluateRun: method<RunEvaluation>()(z.tuple([id])),
  /** A float64 finite-difference check of the run's backpropagation on its own weights and first training rows. */
  checkGradients: method<RunGradientCheck>()(z.tuple([id])),
  /** A run's rows, their centre and their principal plane, to draw its predictions over any two inputs. */
  boundaryData: method<BoundaryData>()(z.tuple([id])),
  exportFormats: method<ExportFormat[]>()(z.tuple([])),
  /** A run's saved model as a file to save or download. */
  exportModel: method<ExportedModel>()(z.tuple([id, z.enum(EXPORT_FORMATS)])),
  /** Electron and local hosts only: a model file (.json or .onnx) chosen in a dialog or dropped on the window, checked by the host. */
  openModelPath: method<ModelHandle>()(z.tuple([path])),
  /** A model file's bytes sent from a browser. */
  uploadModel: method<ModelHandle>()(z.tuple([fileName, uploadBytes])),
  /** A stored run's saved model (its model.json). */
  openRunModel: method<ModelHandle>()(z.tuple([id])),
  /** Predicts every row of an open dataset with an open model; refuses a file that lacks columns the model needs. */
  predictWithModel: method<ModelPredictions>()(z.tuple([id, id])),
} as const;

type Methods = typeof labMethods;
export type LabMethod = keyof Methods;
export type LabArgs<M extends LabMethod> = z.infer<Methods[M]['args']>;
export type LabResult<M extends LabMethod> = Methods[M] extends MethodSpec<z.ZodTuple, infer Result> ? Result : never;

/** The lab as every window sees it, whatever carries the calls. */
export type LabApi = { [M in LabMethod]: (...args: LabArgs<M>) => Promise<LabResult<M>> };

/** A call that passed its schema: the method and its checked arguments. */
export interface LabCall {
  method: LabMethod;
  args: unknown[];
}

/** A message that is not a call of the contract, said in a sentence a window can show. */
export class LabCallError extends Error {
  override readonly name = 'LabCallError';

  /** `method` is not a method of the contract (rather than a method with wrong arguments). */
  constructor(message: string, readonly unknownMethod: string | null = null) {
    super(message);
  }
}

/** Argument lists that passed parseLabCall: a call checked where it entered the process is not checked again. */
const checkedArgs = new WeakSet<unknown[]>();

/** Checks an untrusted method name and arguments against the table. */
export function parseLabCall(method: unknown, args: unknown): LabCall {
  if (Array.isArray(args) && checkedArgs.has(args) && typeof method === 'string' && Object.hasOwn(labMethods, method)) {
    return { method: method as LabMethod, args };
  }
  if (typeof method !== 'string') {
    throw new LabCallError(method === undefined ? 'Unknown lab method: the call names none.' : `Unknown lab method: a method is named by a string, not ${kindOf(method)}.`);
  }
  if (!Object.hasOwn(labMethods, method)) {
    const name = method.slice(0, 100);
    throw new LabCallError(`Unknown method "${name}".`, name);
  }
  const parsed = labMethods[method as LabMethod].args.safeParse(args, plainIssues);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LabCallError(`Invalid arguments for ${method}: ${issue?.path.join('.') || 'arguments'}: ${issue?.message ?? 'not accepted'}.`);
  }
  const checked = parsed.data as unknown[];
  checkedArgs.add(checked);
  return { method: method as LabMethod, args: checked };
}

/** What a value is, in a word, without turning it into text (an object's own toString may be anything). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'number': case 'bigint': return 'a number';
    case 'boolean': return 'true or false';
    case 'function': return 'a function';
    case 'symbol': return 'a symbol';
    default: return 'an object';
  }
}

/** A client-side LabApi adds a way to hear events. */
export interface LabClient extends LabApi {
  subscribe(listener: (event: LabEvent) => void): () => void;
}
