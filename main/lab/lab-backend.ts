import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, isAbsolute, join } from 'node:path';
import { appPath } from '../app-paths';
import { exportRun } from '../export/export-run';
import { EXPORT_FORMATS, EXPORT_LABELS, EXPORT_MIME, type ExportFormatId } from '../../common/export-formats';
import { isToyDatasetName, toyCsv, toyDataset, TOY_DEFAULT_NOISE } from '../../engine/data/toy-datasets';
import { loadModel } from '../model-file';
import { MissingColumnsError, modelColumns, parsePredictionModel, predictFile, predictionsCsv, readPredictionModel, type PredictionModel } from '../predict/predict-file';
import { evaluateRun } from './run-evaluation';
import { summarizeImport } from '../data/dataset-summary';
import { importCsv, type ImportOptions } from '../data/import/import-csv';
import { runListItem } from './run-list-item';
import { RunStore } from '../store/run-store';
import { ENGINE_VERSION } from '../version';
import {
  parseLabCall, type DatasetHandle, type ExampleDataset, type ExportFormat, type ExportedModel, type LabApi, type LabEvent, type ModelHandle,
  type ModelPredictions, type RunEvaluation, type SessionInfo, type SnapshotLayer,
} from '../../common/lab-api';
import type { DatasetRoles, TrainSettings } from '../../common/settings';
import { TrainingSession } from './training-session';
import type { WorkerLauncher } from './worker-launcher';

interface OpenModel {
  handle: ModelHandle;
  model: PredictionModel;
}

/** Rows of predictions sent for display; the CSV to download holds them all. */
export const PREDICTION_DISPLAY_ROWS = 1000;
/** Open models kept in memory at once; opening another forgets the one opened longest ago. */
const MAX_OPEN_MODELS = 8;

interface OpenDataset {
  id: string;
  name: string;
  path: string;
  options: ImportOptions;
}

/** Example data shipped with nnlab, found next to the build (out/main → datasets) or the source (main/lab → datasets). */
export function examplesDir(): string {
  return appPath('datasets/');
}

const EXAMPLES: (ExampleDataset & { file: string })[] = [
  { id: 'seed-xor', file: 'seed-xor.csv', name: 'Seed XOR table', description: 'The tutorial’s 4-row table: three inputs (the third always 1), y = x1 XOR x2.' },
  { id: 'xor', file: 'xor.csv', name: 'XOR', description: 'The exclusive-or truth table: no straight line separates it.' },
  { id: 'iris', file: 'iris.csv', name: 'Iris', description: '150 flowers, 4 measurements, 3 species.' },
  { id: 'penguins', file: 'penguins.csv', name: 'Palmer penguins', description: '344 penguins with text categories and missing values; 3 species.' },
];

/** Two-feature sets generated on request (engine/data/toy-datasets.ts), for watching a decision boundary. */
const TOY_EXAMPLES: ExampleDataset[] = [
  { id: 'spiral', name: 'Spiral', description: 'Two interleaved spiral arms, 400 points: needs a deep enough network.', noise: TOY_DEFAULT_NOISE },
  { id: 'circles', name: 'Circles', description: 'A disc inside a ring, 400 points: a closed boundary.', noise: TOY_DEFAULT_NOISE },
  { id: 'xor-clusters', name: 'XOR clusters', description: 'Four clusters, opposite corners alike, 400 points: no straight line separates them.', noise: TOY_DEFAULT_NOISE },
  { id: 'blobs', name: 'Gaussian blobs', description: 'Three Gaussian blobs, 400 points: three classes, nearly linear.', noise: TOY_DEFAULT_NOISE },
];


/** A plain-language error the user caused (bad input, unknown id): sent to the window as it is. */
export class LabError extends Error {
  override readonly name = 'LabError';
}

/** A model file that cannot be read says why in plain words; those words reach the window as a LabError. */
function plainError(error: unknown): never {
  throw new LabError(error instanceof Error ? error.message : String(error));
}

/**
 * The lab behind every window: datasets, the run store and the training sessions. Transports call
 * `call(method, args)`, which validates the arguments against the contract before anything runs.
 */
export class LabBackend implements LabApi {
  readonly store: RunStore;
  private readonly datasets = new Map<string, OpenDataset>();
  private readonly models = new Map<string, OpenModel>();
  private readonly live = new Map<string, TrainingSession>();
  private readonly reopening = new Map<string, Promise<SessionInfo>>();
  private readonly listeners = new Set<(event: LabEvent) => void>();

  constructor(readonly home: string, private readonly launcher: WorkerLauncher) {
    this.store = new RunStore(home);
  }

  subscribe(listener: (event: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Makes a call of the contract, checking its arguments unless parseLabCall already has; errors come back as plain messages. */
  async call(method: string, args: unknown): Promise<unknown> {
    const checked = parseLabCall(method, args);
    const fn = this[checked.method] as (...a: unknown[]) => Promise<unknown>;
    return fn.apply(this, checked.args);
  }

  async version(): Promise<string> {
    return ENGINE_VERSION;
  }

  async exampleDatasets(): Promise<ExampleDataset[]> {
    return [...EXAMPLES.map(({ id, name, description }) => ({ id, name, description })), ...TOY_EXAMPLES];
  }

  async openExample(id: string, noise?: number): Promise<DatasetHandle> {
    if (isToyDatasetName(id)) {
      // Written once per noise level into the lab folder, so runs made from it can find (and hash) the file again.
      const level = Math.round((noise ?? TOY_DEFAULT_NOISE) * 100) / 100;
      const dir = join(this.home, 'datasets', 'examples');
      const path = join(dir, `${id}-noise-${level.toFixed(2)}.csv`);
      if (!existsSync(path)) {
        await mkdir(dir, { recursive: true });
        await writeFile(path, toyCsv(toyDataset(id, { noise: level })));
      }
      return this.open(path, `${TOY_EXAMPLES.find((e) => e.id === id)!.name} (noise ${level})`, {});
    }
    const example = EXAMPLES.find((e) => e.id === id);
    if (!example) throw new LabError(`There is no example dataset "${id}".`);
    return this.open(join(examplesDir(), example.file), example.name, {});
  }

  async openDatasetPath(path: string, options: ImportOptions = {}): Promise<DatasetHandle> {
    if (!isAbsolute(path)) throw new LabError('A dataset path must be absolute.');
    if (!existsSync(path) || !statSync(path).isFile()) throw new LabError(`${path} is not a file.`);
    return this.open(path, basename(path), options);
  }

  /** Keeps an uploaded file in the lab folder (named by its content), so runs can find it again. */
  async uploadDataset(name: string, bytes: Uint8Array, options: ImportOptions = {}): Promise<DatasetHandle> {
    const safe = basename(name).replace(/[^\w.\- ]+/g, '_').slice(0, 120) || 'data.csv';
    const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    const dir = join(this.home, 'datasets', digest);
    await mkdir(dir, { recursive: true });
    const path = join(dir, safe);
    if (!existsSync(path)) await writeFile(path, bytes);
    return this.open(path, safe, options);
  }

  async inspectDataset(id: string, roles: DatasetRoles, options?: ImportOptions): Promise<DatasetHandle> {
    const dataset = this.dataset(id);
    // open() records the new options only once the file reads with them; a failed choice leaves the old ones.
    return this.open(dataset.path, dataset.name, options ?? dataset.options, roles, id);
  }

  async listRuns() {
    const { runs, damaged } = await this.store.list();
    return { runs: runs.map(runListItem), damaged };
  }

  async getRun(id: string) {
    return { run: await this.store.get(id), metrics: await this.store.readMetrics(id) };
  }

  async renameRun(id: string, name: string): Promise<void> {
    await this.store.update(id, (r) => ({ ...r, name }));
    this.emit({ type: 'runs-changed' });
  }

  async setRunNotes(id: string, notes: string): Promise<void> {
    await this.store.update(id, (r) => ({ ...r, notes }));
    this.emit({ type: 'runs-changed' });
  }

  async deleteRun(id: string): Promise<void> {
    if (this.live.has(id)) throw new LabError('Stop this run before deleting it.');
    await this.store.remove(id);
    this.emit({ type: 'runs-changed' });
  }

  async duplicateRun(id: string): Promise<{ settings: TrainSettings; roles: DatasetRoles; dataset: DatasetHandle }> {
    const { name, request } = await this.store.get(id);
    const dataset = await this.open(request.file, basename(request.file), request.import ?? {}, request.roles);
    return { settings: { ...request.settings, name: `${name} (copy)` }, roles: request.roles, dataset };
  }

  async createSession(datasetId: string, roles: DatasetRoles, settings: TrainSettings): Promise<SessionInfo> {
    const dataset = this.dataset(datasetId);
    const session = await TrainingSession.create(this.launcher, this.home, { file: dataset.path, import: dataset.options, roles, settings });
    return this.adopt(session);
  }

  async resumeRun(id: string, epochs?: number): Promise<SessionInfo> {
    const live = this.live.get(id);
    if (live && !live.finished) return this.info(id);
    // A run that has just ended still has its worker for a moment; resuming waits for it to go.
    if (live) await live.exited;
    // A second call while the first is still starting its worker shares it, rather than training the run twice.
    const opening = this.reopening.get(id);
    if (opening) return opening;
    const reopened = TrainingSession.reopen(this.launcher, this.home, id, epochs).then((session) => this.adopt(session));
    this.reopening.set(id, reopened);
    try {
      return await reopened;
    } finally {
      this.reopening.delete(id);
    }
  }

  async sessions(): Promise<SessionInfo[]> {
    return Promise.all([...this.live.keys()].map((run) => this.info(run)));
  }

  async start(run: string): Promise<SessionInfo> { await this.session(run).start(); return this.info(run); }
  async pause(run: string): Promise<SessionInfo> { await this.session(run).pause(); return this.info(run); }
  async resume(run: string): Promise<SessionInfo> { await this.session(run).resume(); return this.info(run); }
  async step(run: string, count: number): Promise<SessionInfo> { await this.session(run).step(count); return this.info(run); }
  async stop(run: string): Promise<SessionInfo> {
    const session = this.session(run);
    await session.stop();
    return this.info(run, session);
  }
  async setLearningRate(run: string, learningRate: number): Promise<SessionInfo> { await this.session(run).setLearningRate(learningRate); return this.info(run); }

  async snapshot(run: string): Promise<SnapshotLayer[]> {
    const live = this.live.get(run);
    if (live && !live.finished) {
      try {
        return (await live.snapshot()).layers;
      } catch (error) {
        // A run that ended meanwhile has saved its model: the weights are read from there.
        if (!live.finished) throw error;
      }
    }
    const model = await loadModel(this.store.modelPath(run)).catch(() => {
      throw new LabError(`Run ${run} is not training and has no saved model yet.`);
    });
    let inputs = model.spec.inputs;
    return model.layers.map((layer, i) => {
      const spec = model.spec.layers[i]!;
      const snapshot = { inputs, units: spec.units, activation: spec.activation, weights: layer.weights, bias: layer.bias };
      inputs = spec.units;
      return snapshot;
    });
  }

  async evaluateRun(run: string): Promise<RunEvaluation> {
    return evaluateRun(this.store, run);
  }

  async exportFormats(): Promise<ExportFormat[]> {
    return EXPORT_FORMATS.map((id) => ({ id, label: EXPORT_LABELS[id] }));
  }

  /** Writes the export in memory and checks it against nnlab; a file that does not match is not handed over. */
  async exportModel(run: string, format: ExportFormatId): Promise<ExportedModel> {
    const { bundle, verification } = await exportRun(this.store, run, format);
    if (!verification.verified && verification.maxDelta !== null) throw new LabError(`The ${EXPORT_LABELS[format]} export failed its check: ${verification.message}.`);
    return {
      fileName: bundle.name,
      mime: bundle.name.endsWith('.zip') ? 'application/zip' : EXPORT_MIME[format],
      base64: Buffer.from(bundle.bytes).toString('base64'),
      verified: verification.verified,
      maxDelta: verification.maxDelta,
      message: verification.message,
    };
  }

  async openModelPath(path: string): Promise<ModelHandle> {
    if (!isAbsolute(path)) throw new LabError('A model path must be absolute.');
    if (!existsSync(path) || !statSync(path).isFile()) throw new LabError(`${path} is not a file.`);
    const name = basename(path);
    return this.adoptModel(name, await readPredictionModel(path, name).catch(plainError));
  }

  /** A model file sent from a browser: read in memory, nothing is written. */
  async uploadModel(name: string, bytes: Uint8Array): Promise<ModelHandle> {
    const safe = basename(name).replace(/[^\w.\- ]+/g, '_').slice(0, 120) || 'model.json';
    let model: PredictionModel;
    try {
      model = parsePredictionModel(bytes, safe);
    } catch (error) {
      plainError(error);
    }
    return this.adoptModel(safe, model);
  }

  async openRunModel(run: string): Promise<ModelHandle> {
    const record = await this.store.get(run);
    const path = this.store.modelPath(run);
    if (!existsSync(path)) throw new LabError(`Run “${record.name}” has no saved model yet: finish or stop it first.`);
    return this.adoptModel(record.name, await readPredictionModel(path, `${record.name} (model.json)`).catch(plainError), run);
  }

  /** The rows of an open dataset predicted with an open model, as `nnlab predict` writes them (main/predict/predict-file.ts). */
  async predictWithModel(modelId: string, datasetId: string): Promise<ModelPredictions> {
    const open = this.models.get(modelId);
    if (!open) throw new LabError('That model is no longer open; open it again.');
    const dataset = this.dataset(datasetId);
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
      dataset: datasetId,
      columns: result.header,
      rows: result.rows.slice(0, PREDICTION_DISPLAY_ROWS),
      total: result.rows.length,
      predicted: result.rows.filter((row) => row[prediction] !== '').length,
      unexpectedColumns: result.report.unexpected,
      hasTarget: result.report.target !== null,
      warnings: [...result.importWarnings, ...result.predictionWarnings],
      fileName: `${stem}-predictions.csv`,
      csvBase64: Buffer.from(predictionsCsv(result), 'utf8').toString('base64'),
    };
  }

  /** Ends every worker (the runs stay as their last checkpoints). */
  shutdown(): void {
    for (const session of this.live.values()) session.kill();
  }

  private async open(path: string, name: string, options: ImportOptions, roles: DatasetRoles = {}, reuseId?: string): Promise<DatasetHandle> {
    // Reading happens here, in the host: large files belong in a worker, which the import's progress and cancel allow.
    const imported = await importCsv(path, options);
    const id = reuseId ?? createHash('sha256').update(`${path}\0${JSON.stringify(options)}`).digest('hex').slice(0, 16);
    this.datasets.set(id, { id, name, path, options });
    return { id, name, rows: imported.table.rows, summary: summarizeImport(imported, roles) };
  }

  private adoptModel(name: string, model: PredictionModel, run?: string): ModelHandle {
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
    this.models.set(id, { handle, model });
    while (this.models.size > MAX_OPEN_MODELS) this.models.delete(this.models.keys().next().value!);
    return handle;
  }

  private dataset(id: string): OpenDataset {
    const dataset = this.datasets.get(id);
    if (!dataset) throw new LabError('That dataset is no longer open; open the file again.');
    return dataset;
  }

  private session(run: string): TrainingSession {
    const session = this.live.get(run);
    if (!session) throw new LabError(`Run ${run} is not training in this lab; resume it first.`);
    return session;
  }

  private async adopt(session: TrainingSession): Promise<SessionInfo> {
    const run = session.run;
    this.live.set(run, session);
    session.subscribe((event) => {
      switch (event.type) {
        case 'progress': this.emit({ type: 'progress', run, progress: event.progress }); break;
        case 'epochs': this.emit({ type: 'epochs', run, metrics: event.metrics }); break;
        case 'done':
          // A run can end within its first slice, before any progress message: windows still see where it ended.
          this.emit({ type: 'progress', run, progress: event.progress });
          this.emit({ type: 'done', run, status: event.status, message: event.message });
          this.emit({ type: 'runs-changed' });
          break;
        case 'warning': this.emit({ type: 'warning', run, message: event.message }); break;
        case 'exit':
          this.live.delete(run);
          if (!event.expected) this.emit({ type: 'ended', run, message: event.message });
          this.emit({ type: 'runs-changed' });
          break;
        default: break;
      }
    });
    this.emit({ type: 'runs-changed' });
    return this.info(run, session);
  }

  private async info(run: string, session = this.session(run)): Promise<SessionInfo> {
    const record = await this.store.get(run).catch(() => null);
    const epochs = await this.store.readMetrics(run);
    return { run, name: record?.name ?? run, state: session.state, progress: session.progress, epochs, warnings: session.warnings };
  }

  private emit(event: LabEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
