import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { DatasetHandle } from '../../common/lab-api';
import type { DatasetRoles } from '../../common/settings';
import { summarizeImport } from '../data/dataset-summary';
import { importCsv, type ImportOptions, type ImportResult } from '../data/import/import-csv';
import { LabError } from './lab-error';
import { uploadName } from './upload-name';
import { writeFileAtomic } from '../files/atomic';

/** A dataset a window has open: the file it reads and how. */
export interface OpenDataset {
  id: string;
  name: string;
  path: string;
  options: ImportOptions;
}

/** The datasets windows have open, by id; each is read (and summarised) when opened or inspected again. */
export class DatasetRegistry {
  private readonly open = new Map<string, OpenDataset>();
  /**
   * The file read last, as long as it is unchanged on disk: a role change reads the same file again, and on a
   * file of thousands of columns reading costs more than the rest of the answer.
   */
  private last: { key: string; result: ImportResult } | null = null;

  constructor(private readonly home: string) {}

  get(id: string): OpenDataset {
    const dataset = this.open.get(id);
    if (!dataset) throw new LabError('That dataset is no longer open; open the file again.');
    return dataset;
  }

  async openPath(path: string, options: ImportOptions = {}): Promise<DatasetHandle> {
    if (!isAbsolute(path)) throw new LabError('A dataset path must be absolute.');
    if (!existsSync(path) || !statSync(path).isFile()) throw new LabError(`${path} is not a file.`);
    return this.read(path, basename(path), options);
  }

  /** Keeps an uploaded file in the lab folder (named by its content), so runs can find it again. */
  async upload(name: string, bytes: Uint8Array, options: ImportOptions = {}): Promise<DatasetHandle> {
    const safe = uploadName(name, 'data.csv');
    const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    const dir = join(this.home, 'datasets', digest);
    const path = join(dir, safe);
    if (!existsSync(path)) await writeFileAtomic(path, bytes);
    return this.read(path, safe, options);
  }

  async inspect(id: string, roles: DatasetRoles, options?: ImportOptions): Promise<DatasetHandle> {
    const dataset = this.get(id);
    // read() records the new options only once the file reads with them; a failed choice leaves the old ones.
    return this.read(dataset.path, dataset.name, options ?? dataset.options, roles, id);
  }

  /** Reads a file and keeps it open; the same file read the same way gets the same id. */
  async read(path: string, name: string, options: ImportOptions, roles: DatasetRoles = {}, reuseId?: string): Promise<DatasetHandle> {
    // Reading happens here, in the host: large files belong in a worker, which the import's progress and cancel allow.
    const imported = await this.imported(path, options);
    const id = reuseId ?? createHash('sha256').update(`${path}\0${JSON.stringify(options)}`).digest('hex').slice(0, 16);
    this.open.set(id, { id, name, path, options });
    return { id, name, rows: imported.table.rows, summary: summarizeImport(imported, roles) };
  }

  private async imported(path: string, options: ImportOptions): Promise<ImportResult> {
    const stats = statSync(path, { throwIfNoEntry: false });
    // A missing file is importCsv's to explain.
    const key = stats ? JSON.stringify([path, options, stats.mtimeMs, stats.size]) : null;
    if (key !== null && this.last?.key === key) return this.last.result;
    const result = await importCsv(path, options);
    if (key !== null) this.last = { key, result };
    return result;
  }
}
