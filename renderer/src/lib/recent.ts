/** Datasets opened lately, remembered in this browser (or window) so they open again in one click. */
export type RecentDataset =
  | { kind: 'path'; path: string; name: string }
  | { kind: 'example'; id: string; name: string; noise?: number };

const KEY = 'nnlab.recent-datasets';
const MAX = 8;

function same(a: RecentDataset, b: RecentDataset): boolean {
  return a.kind === 'path' ? b.kind === 'path' && a.path === b.path : b.kind === 'example' && a.id === b.id && a.noise === b.noise;
}

export function loadRecent(): RecentDataset[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as RecentDataset[]).filter((e) => e && (e.kind === 'path' || e.kind === 'example')).slice(0, MAX) : [];
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
