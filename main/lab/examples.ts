import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isToyDatasetName, toyCsv, toyDataset, TOY_DEFAULT_NOISE } from '../../engine/data/toy-datasets';
import type { ExampleDataset } from '../../common/lab-api';
import { appPath } from '../app-paths';
import { LabError } from './lab-error';
import { writeFileAtomic } from '../files/atomic';

/** Example data shipped with nnlab, found next to the build (out/main → datasets) or the source (main/lab → datasets). */
export function examplesDir(): string {
  return appPath('datasets/');
}

const SHIPPED: (ExampleDataset & { file: string })[] = [
  { id: 'seed-xor', file: 'seed-xor.csv', name: 'Seed XOR table', description: 'The tutorial’s 4-row table: three inputs (the third always 1), y = x1 XOR x2.' },
  { id: 'xor', file: 'xor.csv', name: 'XOR', description: 'The exclusive-or truth table: no straight line separates it.' },
  { id: 'iris', file: 'iris.csv', name: 'Iris', description: '150 flowers, 4 measurements, 3 species.' },
  { id: 'penguins', file: 'penguins.csv', name: 'Palmer penguins', description: '344 penguins with text categories and missing values; 3 species.' },
];

/** Two-feature sets generated on request (engine/data/toy-datasets.ts), for watching a decision boundary. */
const GENERATED: ExampleDataset[] = [
  { id: 'spiral', name: 'Spiral', description: 'Two interleaved spiral arms, 400 points: needs a deep enough network.', noise: TOY_DEFAULT_NOISE },
  { id: 'circles', name: 'Circles', description: 'A disc inside a ring, 400 points: a closed boundary.', noise: TOY_DEFAULT_NOISE },
  { id: 'xor-clusters', name: 'XOR clusters', description: 'Four clusters, opposite corners alike, 400 points: no straight line separates them.', noise: TOY_DEFAULT_NOISE },
  { id: 'blobs', name: 'Gaussian blobs', description: 'Three Gaussian blobs, 400 points: three classes, nearly linear.', noise: TOY_DEFAULT_NOISE },
];

/**
 * A shipped example's copy in the lab folder, made on first use. Runs record the path of their data, and in the
 * packaged app the shipped file lies inside app.asar, which only the app itself can read: an exported Python or
 * PyTorch script must find the file, and a later version of the app may ship another. The copy is never
 * overwritten, so the runs made from it can always be resumed.
 */
async function copiedExample(home: string, file: string): Promise<string> {
  const path = join(home, 'datasets', 'examples', file);
  if (!existsSync(path)) await writeFileAtomic(path, await readFile(join(examplesDir(), file)));
  return path;
}

export function exampleDatasets(): ExampleDataset[] {
  return [...SHIPPED.map(({ id, name, description }) => ({ id, name, description })), ...GENERATED];
}

/** The name a dataset file is shown by: an example's own name (as exampleFile gives it), else the file's. */
export function datasetName(home: string, path: string): string {
  const file = basename(path);
  const inLabExamples = resolve(dirname(path)) === resolve(home, 'datasets', 'examples');
  // A shipped example is opened from its copy in the lab folder; runs made before the copy name the shipped file.
  const shipped = SHIPPED.find((e) => e.file === file && (inLabExamples || resolve(examplesDir(), e.file) === resolve(path)));
  if (shipped) return shipped.name;
  const generated = /^(.+)-noise-(\d\.\d\d)\.csv$/.exec(file);
  const example = generated && inLabExamples ? GENERATED.find((e) => e.id === generated[1]) : undefined;
  return example ? `${example.name} (noise ${Number(generated![2])})` : file;
}

/** The file of an example and the name to show it by; a generated set is written once per noise level into the lab folder. */
export async function exampleFile(home: string, id: string, noise?: number): Promise<{ path: string; name: string }> {
  if (isToyDatasetName(id)) {
    // In the lab folder, so runs made from it can find (and hash) the file again.
    const level = Math.round((noise ?? TOY_DEFAULT_NOISE) * 100) / 100;
    const dir = join(home, 'datasets', 'examples');
    const path = join(dir, `${id}-noise-${level.toFixed(2)}.csv`);
    if (!existsSync(path)) {
      // Atomic: a second window opening the same example meanwhile reads a whole file, never a half-written one.
      await writeFileAtomic(path, toyCsv(toyDataset(id, { noise: level })));
    }
    return { path, name: `${GENERATED.find((e) => e.id === id)!.name} (noise ${level})` };
  }
  const example = SHIPPED.find((e) => e.id === id);
  if (!example) throw new LabError(`There is no example dataset "${id}".`);
  return { path: await copiedExample(home, example.file), name: example.name };
}
