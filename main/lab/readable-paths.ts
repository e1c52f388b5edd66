import { resolve, sep } from 'node:path';

/**
 * Which files on this computer the lab may read by path (a dataset, a model, a stored run's data). The desktop
 * app asks its Open dialog too; the browser host lets a browser read only what it uploaded and the examples.
 */
export type ReadablePath = (path: string) => boolean;

/** The command line reads whatever its user names. */
export const anyPath: ReadablePath = () => true;

/** Files inside these folders only. */
export function insideFolders(folders: readonly string[]): ReadablePath {
  const roots = folders.map((folder) => {
    const root = resolve(folder);
    return root.endsWith(sep) ? root : root + sep;
  });
  return (path) => roots.some((root) => resolve(path).startsWith(root));
}
