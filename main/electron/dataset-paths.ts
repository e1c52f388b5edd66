import { stat } from 'node:fs/promises';
import { extname, isAbsolute, normalize } from 'node:path';

/** Kinds of file a window may open by path; the same list filters the open dialog. */
export const DATASET_EXTENSIONS = ['csv', 'tsv', 'txt'] as const;
/** Larger files are refused before anything reads them. */
export const MAX_DATASET_BYTES = 1024 ** 3;

/**
 * Checks a path the main process is asked to approve: absolute, an existing regular file, a CSV-like
 * extension, not too large. Resolves to the normalised path; rejects with a plain message.
 */
export async function checkDatasetFile(path: unknown): Promise<string> {
  if (typeof path !== 'string' || path.length === 0 || path.length > 4096 || path.includes('\0')) {
    throw new Error('That is not a file on this computer.');
  }
  if (!isAbsolute(path)) throw new Error('A dataset path must be absolute.');
  const file = normalize(path);
  const extension = extname(file).slice(1).toLowerCase();
  if (!(DATASET_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new Error(`Only ${DATASET_EXTENSIONS.map((e) => `.${e}`).join(', ')} files can be opened as datasets.`);
  }
  const info = await stat(file).catch(() => null);
  if (!info) throw new Error(`${file} does not exist.`);
  if (!info.isFile()) throw new Error(`${file} is not a regular file.`);
  if (info.size > MAX_DATASET_BYTES) {
    throw new Error(`${file} is larger than ${MAX_DATASET_BYTES / 1024 ** 3} GiB, the most nnlab opens.`);
  }
  return file;
}

/**
 * The paths this session's windows may pass to openDatasetPath: only those the main process approved
 * (chosen in its own open dialog, or dropped on a window and checked). A window cannot name any other file.
 */
export class ApprovedPaths {
  private readonly paths = new Set<string>();

  async approve(path: unknown): Promise<string> {
    const file = await checkDatasetFile(path);
    this.paths.add(file);
    return file;
  }

  has(path: unknown): boolean {
    return typeof path === 'string' && this.paths.has(path);
  }
}
