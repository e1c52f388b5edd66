import { describe, expect, it } from 'vitest';
import { joinSplits, ratesOfEpochs } from '../../engine/refit';
import { Trainer, type TrainConfig } from '../../engine/trainer';
import { DEFAULT_OPTIMIZER } from '../../engine/optimizers';
import { scheduleSettings } from '../../engine/schedules';
import type { Split } from '../../engine/metrics';

const epoch = (n: number, learningRate: number) => ({ epoch: n, learningRate });

describe('the rates a refit replays', () => {
  it('are each epoch\'s rate, and a thinned-out epoch keeps the rate of the last one kept before it', () => {
    const history = [epoch(1, 0.1), epoch(4, 0.05), epoch(5, 0.05), epoch(9, 0.025)];
    expect(ratesOfEpochs(history, 10)).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025]);
    expect(ratesOfEpochs(history, 2)).toEqual([0.1, 0.1]);
  });

  it('need a history', () => {
    expect(() => ratesOfEpochs([], 3)).toThrow('needs the epochs');
  });
});

describe('joined splits', () => {
  it('hold the first split\'s rows, then the second\'s, with where each came from', () => {
    const a: Split = { x: Float32Array.of(1, 2, 3, 4), y: Float32Array.of(0, 1), rows: 2, source: Uint32Array.of(7, 3) };
    const b: Split = { x: Float32Array.of(5, 6), y: Float32Array.of(1), rows: 1, source: Uint32Array.of(0) };
    const joined = joinSplits(a, b);
    expect(joined.rows).toBe(3);
    expect(joined.x).toBeInstanceOf(Float32Array);
    expect([...joined.x]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...joined.y]).toEqual([0, 1, 1]);
    expect([...joined.source!]).toEqual([7, 3, 0]);
  });
});

describe('a trainer given the rates of its epochs', () => {
  function rows(n: number): Split {
    const x = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = Math.sin(i);
      x[2 * i + 1] = Math.cos(3 * i);
      y[i] = x[2 * i]! * x[2 * i + 1]! > 0 ? 1 : 0;
    }
    return { x, y, rows: n };
  }
  const spec = { inputs: 2, layers: [{ units: 6, activation: 'tanh' as const }, { units: 1, activation: 'sigmoid' as const }], bias: true, loss: 'bce' as const, init: 'glorot' as const };
  const config: TrainConfig = {
    epochs: 40, batchSize: 8, learningRate: 0.05, optimizer: { ...DEFAULT_OPTIMIZER, name: 'adam' }, schedule: scheduleSettings('plateau', 2),
    shuffle: true, earlyStopPatience: 4, earlyStopMinDelta: 0.05, seed: 3,
  };

  it('trains each epoch at its rate, whatever the schedule, and the last rate after the list ends', () => {
    const data = { train: rows(64), val: rows(16), metric: { kind: 'classification' as const } };
    const first = new Trainer(spec, data, config, { precision: 'float64', kernels: 'js' });
    first.run();
    // The plateau lowered the rate on the way: the replay has more than one rate to follow.
    const rates = ratesOfEpochs(first.history, first.keptEpoch);
    expect(new Set(first.history.map((m) => m.learningRate)).size).toBeGreaterThan(1);
    const replay = new Trainer(spec, { train: data.train, metric: data.metric }, { ...config, epochs: rates.length + 3, earlyStopPatience: null, rates }, { precision: 'float64', kernels: 'js' });
    replay.run();
    expect(replay.history.map((m) => m.learningRate)).toEqual([...rates, rates.at(-1), rates.at(-1), rates.at(-1)]);
  });

  it('keeps, once it has ended, the weights of the epoch it says', () => {
    const data = { train: rows(64), val: rows(16), metric: { kind: 'classification' as const } };
    const stopped = new Trainer(spec, data, config, { precision: 'float64', kernels: 'js' });
    stopped.run();
    expect(stopped.status).toBe('early_stopped');
    const best = stopped.history.reduce((a, b) => (b.val!.loss < a.val!.loss ? b : a));
    expect(stopped.keptEpoch).toBe(best.epoch);
    expect(stopped.evaluate(data.val).loss).toBeCloseTo(best.val!.loss, 12);
    const whole = new Trainer(spec, data, { ...config, epochs: 5, earlyStopPatience: null }, { precision: 'float64', kernels: 'js' });
    whole.run();
    expect(whole.keptEpoch).toBe(5);
  });
});
