/**
 * Datasets opened lately, remembered in this browser (or window) so they open again in one click: the desktop app
 * reopens a file by its path; a browser knows only the name of a file it was handed (an upload), so it asks for
 * the file again.
 */
export type RecentDataset =
  | { kind: 'path'; path: string; name: string }
  | { kind: 'upload'; name: string }
  | { kind: 'example'; id: string; name: string; noise?: number };

/** One key per entry, for lists. */
export function recentKey(entry: RecentDataset): string {
  return entry.kind === 'path' ? `path:${entry.path}` : entry.kind === 'upload' ? `upload:${entry.name}` : `example:${entry.id}:${entry.noise ?? ''}`;
}

const KEY = 'nnlab.recent-datasets';
const MAX = 8;

const same = (a: RecentDataset, b: RecentDataset): boolean => recentKey(a) === recentKey(b);

export function loadRecent(): RecentDataset[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as RecentDataset[]).filter((e) => e && (e.kind === 'path' || e.kind === 'upload' || e.kind === 'example')).slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function addRecent(entry: RecentDataset): RecentDataset[] {
  const list = [entry, ...loadRecent().filter((e) => !same(e, entry))].slice(0, MAX);
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage may be full or disabled; the list is a convenience.
  }
  return list;
}
