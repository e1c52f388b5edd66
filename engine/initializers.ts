import type { ActivationName } from './activations';
import type { Random } from './random';
import { labelsOf, namesOf } from './registry';
import type { FloatArray } from './tensor';

export interface InitializerEntry {
  /** What the initialiser is called where people see it. */
  readonly label: string;
}

const registry = {
  uniform: { label: 'uniform [0, 1) (the seed’s first network)' },
  normal: { label: 'normal × 0.01 (the seed’s second network)' },
  glorot: { label: 'Glorot uniform' },
  he: { label: 'He normal' },
} as const satisfies Record<string, InitializerEntry>;

export type InitName = keyof typeof registry;

export const INITIALIZER_REGISTRY: Readonly<Record<InitName, InitializerEntry>> = registry;
export const INITIALIZERS = namesOf(INITIALIZER_REGISTRY);
export const INIT_LABELS = labelsOf(INITIALIZER_REGISTRY);

/** Fills a weight matrix of fanIn × fanOut. Biases always start at zero. */
export function initializeWeights(name: InitName, w: FloatArray, fanIn: number, fanOut: number, rng: Random): void {
  const n = fanIn * fanOut;
  switch (name) {
    case 'uniform':
      for (let i = 0; i < n; i++) w[i] = rng.uniform();
      return;
    case 'normal':
      for (let i = 0; i < n; i++) w[i] = rng.normal() * 0.01;
      return;
    case 'glorot': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < n; i++) w[i] = (2 * rng.uniform() - 1) * limit;
      return;
    }
    case 'he': {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < n; i++) w[i] = rng.normal() * std;
      return;
    }
  }
}

/** The initialiser that suits a hidden activation: He for the ReLU family, Glorot otherwise. */
export function defaultInitFor(hidden: ActivationName): InitName {
  return hidden === 'relu' || hidden === 'leaky_relu' ? 'he' : 'glorot';
}

export function isInitName(value: string): value is InitName {
  return (INITIALIZERS as readonly string[]).includes(value);
}
