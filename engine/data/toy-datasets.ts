import { Random } from '../random';

/** Two-dimensional classification sets for watching a decision boundary form (as in TensorFlow Playground). */
export const TOY_DATASETS = ['spiral', 'circles', 'xor-clusters', 'blobs'] as const;
export type ToyDatasetName = (typeof TOY_DATASETS)[number];

export interface ToyPoint {
  x1: number;
  x2: number;
  label: string;
}

export interface ToyOptions {
  /** Points in all; split evenly between the classes. */
  points?: number;
  /** 0 (clean) to 1 (heavily blurred): the standard deviation of the Gaussian jitter, relative to the set's scale. */
  noise?: number;
  seed?: number;
}

const TOY_DEFAULT_POINTS = 400;
export const TOY_DEFAULT_NOISE = 0.1;

export function isToyDatasetName(value: string): value is ToyDatasetName {
  return (TOY_DATASETS as readonly string[]).includes(value);
}

/**
 * Generates one of the toy sets, classes interleaved (row i belongs to class i mod k), so any prefix of
 * the rows shows every class. The same name, size, noise and seed always give the same points.
 */
export function toyDataset(name: ToyDatasetName, options: ToyOptions = {}): ToyPoint[] {
  const points = Math.max(4, Math.floor(options.points ?? TOY_DEFAULT_POINTS));
  const noise = Math.min(1, Math.max(0, options.noise ?? TOY_DEFAULT_NOISE));
  const rng = Random.stream(options.seed ?? 1, `toy:${name}`);
  const out: ToyPoint[] = [];
  for (let i = 0; i < points; i++) out.push(GENERATORS[name](i, rng, noise));
  return out;
}

/** The points as CSV text: columns x1, x2, label. */
export function toyCsv(points: ToyPoint[]): string {
  const lines = ['x1,x2,label'];
  for (const p of points) lines.push(`${p.x1.toFixed(4)},${p.x2.toFixed(4)},${p.label}`);
  return `${lines.join('\n')}\n`;
}

type Generator = (index: number, rng: Random, noise: number) => ToyPoint;

const GENERATORS: Record<ToyDatasetName, Generator> = {
  // Two arms winding around the origin, 1.75 turns each.
  spiral(i, rng, noise) {
    const arm = i % 2;
    const t = rng.uniform();
    const radius = 0.15 + 4.85 * t;
    const angle = 1.75 * 2 * Math.PI * t + arm * Math.PI;
    return {
      x1: radius * Math.sin(angle) + noise * 1.5 * rng.normal(),
      x2: radius * Math.cos(angle) + noise * 1.5 * rng.normal(),
      label: arm ? 'b' : 'a',
    };
  },
  // A disc inside a ring.
  circles(i, rng, noise) {
    const outer = i % 2;
    const radius = outer ? 3.5 + 1.5 * rng.uniform() : 2.5 * Math.sqrt(rng.uniform());
    const angle = 2 * Math.PI * rng.uniform();
    return {
      x1: radius * Math.cos(angle) + noise * 1.5 * rng.normal(),
      x2: radius * Math.sin(angle) + noise * 1.5 * rng.normal(),
      label: outer ? 'outer' : 'inner',
    };
  },
  // Four clusters at the corners; opposite corners share a class, so no straight line separates them.
  'xor-clusters'(i, rng, noise) {
    const corner = i % 4;
    const sx = corner === 0 || corner === 2 ? 1 : -1;
    const sy = corner < 2 ? 1 : -1;
    const spread = 0.6 + 3 * noise;
    return {
      x1: sx * 2.5 + spread * rng.normal(),
      x2: sy * 2.5 + spread * rng.normal(),
      label: sx * sy > 0 ? '1' : '0',
    };
  },
  // Three Gaussian blobs on a triangle.
  blobs(i, rng, noise) {
    const blob = i % 3;
    const angle = (blob * 2 * Math.PI) / 3 + Math.PI / 2;
    const spread = 0.5 + 4 * noise;
    return {
      x1: 3 * Math.cos(angle) + spread * rng.normal(),
      x2: 3 * Math.sin(angle) + spread * rng.normal(),
      label: ['red', 'green', 'blue'][blob]!,
    };
  },
};
