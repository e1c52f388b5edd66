import type { Split } from './metrics';
import type { FloatArray } from './tensor';

/** What a refit reads of the first fit's epochs (engine/trainer.ts EpochMetrics). */
interface EpochRate {
  epoch: number;
  learningRate: number;
}

/** The rows of `first` and then those of `second`, as one split (the training and validation rows a refit learns from). */
export function joinSplits(first: Split, second: Split): Split {
  const join = (a: FloatArray, b: FloatArray): FloatArray => {
    const joined = new (a.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(a.length + b.length);
    joined.set(a);
    joined.set(b, a.length);
    return joined;
  };
  const split: Split = { x: join(first.x, second.x), y: join(first.y, second.y), rows: first.rows + second.rows };
  if (first.source && second.source) {
    const source = new Uint32Array(split.rows);
    source.set(first.source);
    source.set(second.source, first.rows);
    split.source = source;
  }
  return split;
}

/**
 * The learning rate each of the first `epochs` epochs trained at (index 0 is epoch 1), from a history that may be
 * thinned (engine/history.ts): an epoch left out trained at the rate of the last epoch kept before it, which is
 * exact for rates that change only now and then (a plateau's halvings, a rate set by hand).
 */
export function ratesOfEpochs(history: readonly EpochRate[], epochs: number): number[] {
  if (history.length === 0) throw new Error('A refit needs the epochs of the fit it repeats.');
  const rates: number[] = [];
  let next = 0;
  let rate = history[0]!.learningRate;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    while (next < history.length && history[next]!.epoch <= epoch) rate = history[next++]!.learningRate;
    rates.push(rate);
  }
  return rates;
}
