import { stat } from 'node:fs/promises';
import { extname, isAbsolute, normalize } from 'node:path';
import { MAX_MODEL_BYTES } from '../predict/predict-file';

/** Kinds of file a window may open by path; the same list filters the open dialog. */
export const DATASET_EXTENSIONS = ['csv', 'tsv', 'txt'] as const;
/** Model files a window may open by path (to predict with): nnlab's JSON model files and its ONNX exports. */
export const MODEL_EXTENSIONS = ['json', 'onnx'] as const;
/** Larger files are refused before anything reads them. */
export const MAX_DATASET_BYTES = 1024 ** 3;
export { MAX_MODEL_BYTES };

/** What an approved path may be opened as: a dataset (openDatasetPath) or a model (openModelPath). */
export type LocalFileKind = 'dataset' | 'model';

const RULES: Record<LocalFileKind, { extensions: readonly string[]; maxBytes: number; noun: string }> = {
  dataset: { extensions: DATASET_EXTENSIONS, maxBytes: MAX_DATASET_BYTES, noun: 'datasets' },
  model: { extensions: MODEL_EXTENSIONS, maxBytes: MAX_MODEL_BYTES, noun: 'models' },
};

const listed = (extensions: readonly string[]) => extensions.map((e) => `.${e}`).join(', ');

function sizeText(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GiB` : `${bytes / 1024 ** 2} MiB`;
}

/**
 * Checks a path the main process is asked to approve: absolute, an existing regular file, an extension of
 * one of the allowed kinds (a CSV-like file for a dataset, .json or .onnx for a model), not too large.
 * Resolves to the normalised path and its kind; rejects with a plain message.
 */
async function checkLocalFile(path: unknown, kinds: readonly LocalFileKind[] = ['dataset', 'model']): Promise<{ file: string; kind: LocalFileKind }> {
  if (typeof path !== 'string' || path.length === 0 || path.length > 4096 || path.includes('\0')) {
    throw new Error('That is not a file on this computer.');
  }
  if (!isAbsolute(path)) throw new Error(`A ${kinds.length === 1 ? kinds[0] : 'file'} path must be absolute.`);
  const file = normalize(path);
  const extension = extname(file).slice(1).toLowerCase();
  const kind = kinds.find((k) => RULES[k].extensions.includes(extension));
  if (!kind) {
    const [first, ...rest] = kinds.map((k) => RULES[k]);
    throw new Error(`Only ${listed(first!.extensions)} files can be opened as ${first!.noun}${rest.map((r) => `, and ${listed(r.extensions)} files as ${r.noun}`).join('')}.`);
  }
  const info = await stat(file).catch(() => null);
  if (!info) throw new Error(`${file} does not exist.`);
  if (!info.isFile()) throw new Error(`${file} is not a regular file.`);
  const { maxBytes } = RULES[kind];
  if (info.size > maxBytes) {
    throw new Error(`${file} is larger than ${sizeText(maxBytes)}, the most nnlab opens.`);
  }
  return { file, kind };
}

/**
 * The paths this session's windows may pass to openDatasetPath or openModelPath: only those the main
 * process approved (chosen in its own open dialog, or dropped on a window and checked), each for the kind
 * its extension says. A window cannot name any other file, nor open a dataset as a model or the reverse.
 */
export class ApprovedPaths {
  private readonly paths = new Map<string, LocalFileKind>();

  /** `kinds`: what the file may be (the dataset dialog approves datasets only; a drop, either kind). */
  async approve(path: unknown, kinds: readonly LocalFileKind[] = ['dataset', 'model']): Promise<string> {
    const { file, kind } = await checkLocalFile(path, kinds);
    this.paths.set(file, kind);
    return file;
  }

  has(path: unknown, kind: LocalFileKind = 'dataset'): boolean {
    return typeof path === 'string' && this.paths.get(path) === kind;
  }
}
