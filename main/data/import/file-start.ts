import { open, stat } from 'node:fs/promises';
import { InputError } from './errors';

const SAMPLE_BYTES = 64 * 1024;

export interface FileStart {
  size: number;
  /** The first bytes of the file, from which its encoding and dialect are guessed. */
  sample: Uint8Array;
}

/** The size and first bytes of a file, or an InputError saying why it cannot be read. */
export async function readFileStart(path: string): Promise<FileStart> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return { size: info.size, sample: await readSample(path) };
  } catch (error) {
    throw describeOpenError(path, error);
  }
}

async function readSample(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function describeOpenError(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`${path} does not exist. Check the file name and folder.`);
  if (code === 'EISDIR') return new InputError(`${path} is a folder, not a CSV file.`);
  if (code === 'EACCES') return new InputError(`${path} cannot be read: permission denied.`);
  return new InputError(`${path} cannot be read (${code ?? (error as Error).message}).`);
}
