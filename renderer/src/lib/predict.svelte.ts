import type { DatasetHandle, ModelHandle, ModelPredictions } from '../../../common/lab-api';
import { errorAbout, errorMessage } from './format';
import type { FileKind, Host, PickedFile } from './host';
import { fromBase64 } from './save-file';

/** Names a model file may have: nnlab's JSON model files and its ONNX exports. */
export function isModelFileName(name: string): boolean {
  return /\.(json|onnx)$/i.test(name);
}

/**
 * Predicting new rows with a saved model: the model (a file, or a run's), the CSV file of rows, and the
 * predictions the lab made of them. Whenever both are open, the rows are predicted.
 */
export class BenchPredict {
  model = $state.raw<ModelHandle | null>(null);
  dataset = $state.raw<DatasetHandle | null>(null);
  result = $state.raw<ModelPredictions | null>(null);
  busy = $state(false);
  /** What is being done, for the progress note. */
  doing = $state('');
  error = $state<string | null>(null);
  private generation = 0;

  constructor(private readonly host: Host) {}

  /** "Open model…": the system's open dialog, or the browser's file picker. */
  async chooseModel(): Promise<void> {
    await this.choose('model', (picked) => this.loadModel(picked.name, () => picked.openModel()));
  }

  /** A model file dropped on the window or handed over by a file input. */
  async openModelFile(file: File): Promise<void> {
    await this.loadModel(file.name, async () => (await this.host.pickedFile(file)).openModel());
  }

  /** A stored run's saved model. */
  async useRun(run: string, name = run): Promise<void> {
    await this.loadModel(name, () => this.host.lab.openRunModel(run));
  }

  /** "Open CSV to predict…": the system's open dialog, or the browser's file picker. */
  async chooseCsv(): Promise<void> {
    await this.choose('dataset', (picked) => this.loadDataset(picked.name, () => picked.openDataset()));
  }

  /** A CSV file of rows to predict, dropped on the window or handed over by a file input. */
  async openCsvFile(file: File): Promise<void> {
    await this.loadDataset(file.name, async () => (await this.host.pickedFile(file)).openDataset());
  }

  private async choose(kind: FileKind, open: (picked: PickedFile) => Promise<void>): Promise<void> {
    try {
      const picked = await this.host.chooseFile(kind);
      if (picked) await open(picked);
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  /** Predicts the open rows with the open model (again: after either changed). */
  async predict(): Promise<void> {
    const model = this.model;
    const dataset = this.dataset;
    if (!model || !dataset) return;
    const generation = ++this.generation;
    await this.work(`Predicting ${dataset.name} with ${model.name}…`, async () => {
      const result = await this.host.lab.predictWithModel(model.id, dataset.id);
      if (generation === this.generation) this.result = result;
    });
  }

  /** Hands the whole result to the user as a CSV file: the file `nnlab predict` writes. */
  download(): void {
    const result = this.result;
    if (result) void this.host.saveFile(result.fileName, fromBase64(result.csvBase64), 'text/csv');
  }

  private async loadModel(name: string, open: () => Promise<ModelHandle>): Promise<void> {
    const ok = await this.work(`Reading ${name}…`, async () => {
      this.model = await open();
      this.result = null;
    }, name);
    if (ok) await this.predict();
  }

  private async loadDataset(name: string, open: () => Promise<DatasetHandle>): Promise<void> {
    const ok = await this.work(`Reading ${name}…`, async () => {
      this.dataset = await open();
      this.result = null;
    }, name);
    if (ok) await this.predict();
  }

  /** Runs one step, showing what it does; a failure is shown (prefixed by `what` it concerned). Resolves to whether it worked. */
  private async work(doing: string, step: () => Promise<void>, what?: string): Promise<boolean> {
    this.busy = true;
    this.doing = doing;
    this.error = null;
    try {
      await step();
      return true;
    } catch (error) {
      this.error = what ? errorAbout(what, error) : errorMessage(error);
      return false;
    } finally {
      this.busy = false;
      this.doing = '';
    }
  }
}
