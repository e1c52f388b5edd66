import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file';

/** The File menu's "Open recent": the CSV paths the desktop app opened, newest first. */
export const RECENT_FILE_NAME = 'recent-files.json';
export const MAX_RECENT_FILES = 10;

const recentFileSchema = z.object({ paths: z.array(z.string().min(1).max(4096)) });

export async function loadRecentFiles(userData: string): Promise<string[]> {
  const { paths } = await readJsonFile(join(userData, RECENT_FILE_NAME), recentFileSchema, { paths: [] });
  return [...new Set(paths)].slice(0, MAX_RECENT_FILES);
}

/** The list with `path` first, once, and at most MAX_RECENT_FILES long. */
export function withRecent(paths: readonly string[], path: string): string[] {
  return [path, ...paths.filter((p) => p !== path)].slice(0, MAX_RECENT_FILES);
}

export async function saveRecentFiles(userData: string, paths: readonly string[]): Promise<void> {
  await writeJsonFile(join(userData, RECENT_FILE_NAME), { paths });
}
