import { describe, expect, it } from 'vitest';
import { lossLayout, xOf } from '../../renderer/src/lib/run-compare';
import { displayNames, shortRunId, splitScore } from '../../renderer/src/lib/run-groups';
import { settingLabel } from '../../renderer/src/lib/settings';

describe('runs shown together', () => {
  it('keep the oldest of a shared name as it is and number the others in the order they were made', () => {
    const names = displayNames([
      { id: 'c', name: 'seed-xor 4', created: '2026-12-02T03:00:03Z' },
      { id: 'b', name: 'other', created: '2026-12-02T03:00:02Z' },
      { id: 'a', name: 'seed-xor 4', created: '2026-12-02T03:00:01Z' },
      { id: 'd', name: 'seed-xor 4', created: '2026-12-02T03:00:04Z' },
    ]);
    expect(Object.fromEntries(names)).toEqual({ a: 'seed-xor 4', b: 'other', c: 'seed-xor 4 #2', d: 'seed-xor 4 #3' });
  });

  it('show the random end of the id, and a split\'s accuracy or R²', () => {
    expect(shortRunId('20261128-173900-f6b8')).toBe('f6b8');
    expect(splitScore('multiclass', { accuracy: 0.9667 })).toBe('96.7 %');
    expect(splitScore('regression', { accuracy: null, r2: 0.93125 })).toBe('R² 0.931');
    expect(splitScore('binary', null)).toBe('—');
  });
});

describe('the compare chart', () => {
  it('shares one axis between losses of one kind, the two cross-entropies included', () => {
    expect(lossLayout(['bce', 'softmax_ce'])).toMatchObject({ mode: 'shared', axes: ['y', 'y'], yTitle: 'loss (cross-entropy)', note: null });
  });

  it('puts two kinds on two axes and says which is where', () => {
    expect(lossLayout(['sse', 'bce', 'sse'])).toEqual({
      mode: 'separate', axes: ['y', 'y2', 'y'], yTitle: 'loss (sum of squares)', y2Title: 'loss (cross-entropy)',
      note: 'Losses of different kinds are drawn on separate axes: sum of squares (left), cross-entropy (right).',
    });
  });

  it('normalises three kinds, saying so', () => {
    const layout = lossLayout(['sse', 'mse', 'bce']);
    expect(layout.mode).toBe('normalised');
    expect(layout.note).toMatch(/divided by its first epoch's/);
  });

  it('places an epoch as a fraction of the run\'s own last epoch', () => {
    expect(xOf('fraction', 18, 36)).toBe(0.5);
    expect(xOf('fraction', 1300, 1300)).toBe(1);
    expect(xOf('log', 18, 36)).toBe(18);
  });

  it('names settings by the form\'s labels', () => {
    expect(['learningRate', 'earlyStop', 'patienceSteps', 'batch', 'val'].map(settingLabel))
      .toEqual(['Learning rate', 'Early stopping', 'Patience (mini-batches)', 'Batch size', 'Validation fraction']);
  });
});
