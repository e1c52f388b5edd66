import { describe, expect, it } from 'vitest';
import { defaultRunName } from '../../main/training/run-name';
import { sessionArgs, type FlatSettings } from '../support/settings';

const name = (flat: FlatSettings, source = 'seed-xor.csv') => defaultRunName(source, sessionArgs(flat)[1]);

describe('a new run\'s default name', () => {
  it('is the file stem and the layers when every setting is the default', () => {
    expect(name({}, 'iris.csv')).toBe('iris 64-32');
    expect(name({ layers: [] }, 'iris.csv')).toBe('iris linear');
  });

  it('names the seed experiment\'s activation, optimiser, rate, loss and batch, the four most telling differences', () => {
    expect(name({ layers: [4], activation: 'sigmoid', loss: 'sse', optimizer: 'sgd', learningRate: 1, epochs: 1500, batch: 'full',
      init: 'uniform', bias: false, standardize: false, val: 0, test: 0 })).toBe('seed-xor 4 sigmoid · sgd lr 1 · sse · full batch · 1500 epochs');
  });

  it('tells apart runs that differ in one setting each', () => {
    const names = [
      name({ layers: [4] }),
      name({ layers: [4], learningRate: 0.1 }),
      name({ layers: [4], optimizer: 'sgd' }),
      name({ layers: [4], seed: 2 }),
      name({ layers: [4], batch: 8 }),
      name({ layers: [4], l2: 0.001 }),
      name({ layers: [4], earlyStop: null }),
      name({ layers: [4], activations: ['tanh'] }),
      name({ layers: [8, 4], activations: ['tanh', 'relu'] }),
    ];
    expect(names).toEqual([
      'seed-xor 4', 'seed-xor 4 · lr 0.1', 'seed-xor 4 · sgd lr 0.01', 'seed-xor 4 · seed 2', 'seed-xor 4 · batch 8',
      'seed-xor 4 · l2 0.001', 'seed-xor 4 · no early stop', 'seed-xor 4 tanh', 'seed-xor 8-4 tanh/relu',
    ]);
    expect(new Set(names).size).toBe(names.length);
  });
});
