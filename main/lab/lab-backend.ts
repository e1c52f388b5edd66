import { isNumericConstant } from '../../engine/data/column-types';
import type { TrainingHealth } from '../../engine/health';
import {
  parseLabCall, type DatasetHandle, type ExampleDataset, type ExportFormat, type ExportedModel, type LabApi, type LabEvent, type ModelHandle, type CrossValidationChoice, type FoldSessionInfo, type SweepSessionInfo,
  type ModelPredictions, type RunBench, type RunCheckpoint, type RunGradientCheck, type RunStepTrace, type RunEvaluation, type SessionInfo, type SessionStatus, type SnapshotLayer,
} from '../../common/lab-api';
import { basename } from 'node:path';
import { EXPORT_FORMATS, EXPORT_LABELS, EXPORT_MIME, type ExportFormatId } from '../../common/export-formats';
import type { DatasetRoles, TrainSettings } from '../../common/settings';
import { experimentName, foldRequest } from '../../common/experiment';
import { sweepName, sweepRequest, type SweepChoice } from '../../common/sweep';
import type { ImportOptions } from '../data/import/import-csv';
import { exportRun } from '../export/export-run';
import { RunStore } from '../store/run-store';
import { ENGINE_VERSION } from '../version';
import { DatasetRegistry } from './dataset-registry';
import { datasetName, exampleDatasets, exampleFile } from './examples';
import { LabError } from './lab-error';
import { ModelRegistry } from './model-registry';
import { evaluateRun } from './run-evaluation';
import { anyPath, type ReadablePath } from './readable-paths';
import { runListItem } from './run-list-item';
import { SessionRegistry } from './session-registry';
import type { WorkerLauncher } from './worker-launcher';
import { defaultRunName } from '../training/run-name';
import { checkRunGradients } from '../training/run-gradients';
import { runBoundaryData } from '../training/run-boundary';
import type { BoundaryData } from '../../common/boundary-data';
import { checkpointSnapshot, forkRequest, runCheckpoints } from './run-checkpoints';

export { PREDICTION_DISPLAY_ROWS } from './model-registry';

/**
 * The lab behind every window: the LabApi over the run store and three registries (open datasets, open
 * models, training sessions). Transports call `call(method, args)`, which checks the call against the
 * contract unless the transport already has.
 */
export class LabBackend implements LabApi {
  readonly store: RunStore;
  private readonly datasets: DatasetRegistry;
  private readonly models: ModelRegistry;
  private readonly sessionRegistry: SessionRegistry;
  private readonly listeners = new Set<(event: LabEvent) => void>();

  private readonly readablePath: ReadablePath;

  constructor(readonly home: string, launcher: WorkerLauncher, options: { readablePath?: ReadablePath; idleSessionMs?: number } = {}) {
    this.readablePath = options.readablePath ?? anyPath;
    this.store = new RunStore(home);
    this.datasets = new DatasetRegistry(home);
    this.models = new ModelRegistry(this.store);
    this.sessionRegistry = new SessionRegistry(home, this.store, launcher, (event) => this.emit(event), options.idleSessionMs);
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
    return exampleDatasets();
  }

  async openExample(id: string, noise?: number): Promise<DatasetHandle> {
    const { path, name } = await exampleFile(this.home, id, noise);
    return this.datasets.read(path, name, {});
  }

  openDatasetPath(path: string, options?: ImportOptions): Promise<DatasetHandle> {
    this.mayRead(path);
    return this.datasets.openPath(path, options);
  }

  uploadDataset(name: string, bytes: Uint8Array, options?: ImportOptions): Promise<DatasetHandle> {
    return this.datasets.upload(name, bytes, options);
  }

  inspectDataset(id: string, roles: DatasetRoles, options?: ImportOptions): Promise<DatasetHandle> {
    return this.datasets.inspect(id, roles, options);
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
    if (this.sessionRegistry.has(id)) throw new LabError('Stop this run before deleting it.');
    await this.store.remove(id);
    this.emit({ type: 'runs-changed' });
  }

  async duplicateRun(id: string): Promise<RunBench> {
    const { name, request } = await this.store.get(id);
    const bench = await this.runBench(id);
    // A name nnlab made up says the original's settings; the copy, whose settings are about to change, gets its
    // own when it starts. A name a person gave is kept, marked as a copy's.
    const { name: _shown, ...settings } = bench.settings;
    const madeUp = request.settings.name === undefined && name === defaultRunName(basename(request.file), request.settings);
    return { ...bench, settings: madeUp ? settings : { ...settings, name: `${name} (copy)` } };
  }

  async runBench(id: string): Promise<RunBench> {
    const { name, request, training } = await this.store.get(id);
    this.mayRead(request.file);
    let dataset = await this.datasets.read(request.file, datasetName(this.home, request.file), request.import ?? {}, request.roles);
    // A run made before constant columns were kept by name kept every numeric one without biases: the bench names them.
    let roles = request.roles;
    if (roles.keepConstant === undefined && !request.settings.bias) {
      roles = { ...roles, keepConstant: dataset.summary.columns.filter((c) => c.type === 'constant' && isNumericConstant(c) && !(roles.ignore ?? []).includes(c.name)).map((c) => c.name) };
      dataset = await this.datasets.inspect(dataset.id, roles);
    }
    // The run's kernels (a run recorded before the choice trained with 'wasm'), so that a copy replays it.
    const settings: TrainSettings = { ...request.settings, name, kernels: training.kernels ?? 'wasm' };
    return { settings, roles, dataset };
  }

  createSession(datasetId: string, roles: DatasetRoles, settings: TrainSettings): Promise<SessionInfo> {
    const dataset = this.datasets.get(datasetId);
    return this.sessionRegistry.create({ file: dataset.path, import: dataset.options, roles, settings });
  }

  /** The backend names the experiment and gives it its id, so every fold run on disk carries the same one. */
  async createFoldSession(datasetId: string, roles: DatasetRoles, settings: TrainSettings, cv: CrossValidationChoice): Promise<FoldSessionInfo> {
    const dataset = this.datasets.get(datasetId);
    const experiment = cv.experiment ?? { id: this.store.newId(), name: experimentName(dataset.name, cv.folds, settings.name) };
    const request = foldRequest({ file: dataset.path, import: dataset.options, roles, settings }, experiment, cv.folds, cv.index);
    const info = await this.sessionRegistry.create(request);
    return { ...info, experiment: { ...experiment, fold: cv.index + 1, folds: cv.folds } };
  }

  /** The backend names the sweep and gives it its id, so every seed's run on disk carries the same one. */
  async createSweepSession(datasetId: string, roles: DatasetRoles, settings: TrainSettings, choice: SweepChoice): Promise<SweepSessionInfo> {
    const dataset = this.datasets.get(datasetId);
    const sweep = choice.sweep ?? { id: this.store.newId(), name: sweepName(dataset.name, choice.seeds, settings.name) };
    const request = sweepRequest({ file: dataset.path, import: dataset.options, roles, settings }, sweep, choice.seeds, settings.seed, choice.index);
    const info = await this.sessionRegistry.create(request);
    return { ...info, sweep: request.sweep! };
  }

  resumeRun(id: string, epochs?: number): Promise<SessionInfo> { return this.sessionRegistry.resume(id, epochs); }
  sessions(): Promise<SessionInfo[]> { return this.sessionRegistry.list(); }
  start(run: string): Promise<SessionStatus> { return this.sessionRegistry.start(run); }
  pause(run: string): Promise<SessionStatus> { return this.sessionRegistry.pause(run); }
  resume(run: string): Promise<SessionStatus> { return this.sessionRegistry.resumeTraining(run); }
  step(run: string, count: number): Promise<SessionStatus> { return this.sessionRegistry.step(run, count); }
  stop(run: string): Promise<SessionStatus> { return this.sessionRegistry.stop(run); }
  setLearningRate(run: string, learningRate: number): Promise<SessionStatus> { return this.sessionRegistry.setLearningRate(run, learningRate); }
  setSpeed(run: string, stepsPerSecond: number | null): Promise<SessionStatus> { return this.sessionRegistry.setSpeed(run, stepsPerSecond); }
  continueAfterDivergence(run: string, learningRate: number): Promise<SessionStatus> { return this.sessionRegistry.continueAfterDivergence(run, learningRate); }
  stepInDetail(run: string): Promise<RunStepTrace> { return this.sessionRegistry.stepInDetail(run); }
  snapshot(run: string): Promise<SnapshotLayer[]> { return this.sessionRegistry.snapshot(run); }
  health(run: string): Promise<TrainingHealth | null> { return this.sessionRegistry.health(run); }
  checkpoints(run: string): Promise<RunCheckpoint[]> { return runCheckpoints(this.store, run); }
  checkpointSnapshot(run: string, epoch: number): Promise<SnapshotLayer[]> { return checkpointSnapshot(this.store, run, epoch); }

  async forkRun(run: string, epoch: number, settings: TrainSettings): Promise<SessionInfo> {
    const request = await forkRequest(this.store, run, settings);
    this.mayRead(request.file);
    return this.sessionRegistry.create(request, { run, epoch });
  }

  evaluateRun(run: string): Promise<RunEvaluation> {
    return evaluateRun(this.store, run);
  }

  checkGradients(run: string): Promise<RunGradientCheck> {
    return checkRunGradients(this.store, run);
  }

  boundaryData(run: string): Promise<BoundaryData> { return runBoundaryData(this.store, run); }

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

  openModelPath(path: string): Promise<ModelHandle> {
    this.mayRead(path);
    return this.models.openPath(path);
  }
  uploadModel(name: string, bytes: Uint8Array): Promise<ModelHandle> { return this.models.upload(name, bytes); }
  openRunModel(run: string): Promise<ModelHandle> { return this.models.openRun(run); }

  predictWithModel(modelId: string, datasetId: string): Promise<ModelPredictions> {
    return this.models.predict(modelId, this.datasets.get(datasetId));
  }

  /** Ends every worker (the runs stay as their last checkpoints). */
  shutdown(): void {
    this.sessionRegistry.shutdown();
  }

  private mayRead(path: string): void {
    if (!this.readablePath(path)) {
      throw new LabError('This lab reads only files sent to it from this window (drop a file, or use Open CSV…) and its examples, not paths on this computer.');
    }
  }

  private emit(event: LabEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
