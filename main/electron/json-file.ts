import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { writeFileAtomic } from '../files/atomic';

/**
 * A small JSON file the desktop app keeps in its userData folder. A missing, unreadable or malformed file
 * reads as `fallback`: what it remembers is a convenience, never a reason not to start.
 */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  try {
    const parsed = schema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** Written whole or not at all, so a crash mid-write leaves the previous content. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
