import type { DatasetHandle, ModelHandle, ModelPredictions } from '../../../common/lab-api';
import { errorMessage } from './format';
import type { Host } from './host';
import { saveBase64 } from './save-file';

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

  /** The system's open dialog for a model (desktop); false when there is none and the page must offer a file input. */
  async chooseModel(): Promise<boolean> {
    if (!this.host.chooseModelFile) return false;
    try {
      const path = await this.host.chooseModelFile();
      if (path) await this.loadModel(baseName(path), () => this.host.lab.openModelPath(path));
    } catch (error) {
      this.error = errorMessage(error);
    }
    return true;
  }

  /** A chosen or dropped model file: by path in the desktop app, by its bytes in a browser. */
  async openModelFile(file: File): Promise<void> {
    const pathForFile = this.host.pathForFile;
    if (pathForFile) {
      await this.loadModel(file.name, async () => this.host.lab.openModelPath(await pathForFile(file)));
      return;
    }
    await this.loadModel(file.name, async () => this.host.lab.uploadModel(file.name, new Uint8Array(await file.arrayBuffer())));
  }

  /** A stored run's saved model. */
  async useRun(run: string, name = run): Promise<void> {
    await this.loadModel(name, () => this.host.lab.openRunModel(run));
  }

  /** The system's open dialog for the CSV file (desktop); false when the page must offer a file input. */
  async chooseCsv(): Promise<boolean> {
    if (!this.host.chooseCsvFile) return false;
    try {
      const path = await this.host.chooseCsvFile();
      if (path) await this.loadDataset(baseName(path), () => this.host.lab.openDatasetPath(path));
    } catch (error) {
      this.error = errorMessage(error);
    }
    return true;
  }

  async openCsvFile(file: File): Promise<void> {
    const pathForFile = this.host.pathForFile;
    if (pathForFile) {
      await this.loadDataset(file.name, async () => this.host.lab.openDatasetPath(await pathForFile(file)));
      return;
    }
    await this.loadDataset(file.name, async () => this.host.lab.uploadDataset(file.name, new Uint8Array(await file.arrayBuffer())));
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
    if (result) saveBase64(result.fileName, result.csvBase64, 'text/csv');
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
      this.error = what ? `${what}: ${errorMessage(error)}` : errorMessage(error);
      return false;
    } finally {
      this.busy = false;
      this.doing = '';
    }
  }
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
