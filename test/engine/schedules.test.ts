import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, learningRateAt, type ScheduleSettings } from '../../engine';

const schedule = (s: Partial<ScheduleSettings>): ScheduleSettings => ({ ...DEFAULT_SCHEDULE, ...s });

describe('learning-rate schedules (0-based epochs)', () => {
  it('constant keeps the base rate at every epoch', () => {
    const c = schedule({ name: 'constant' });
    expect([0, 1, 50, 99].map((e) => learningRateAt(0.3, c, e, 100))).toEqual([0.3, 0.3, 0.3, 0.3]);
  });

  it('step multiplies by gamma once every stepEpochs epochs', () => {
    const s = schedule({ name: 'step', stepEpochs: 3, gamma: 0.5 });
    const rates = Array.from({ length: 8 }, (_, e) => learningRateAt(0.8, s, e, 8));
    expect(rates).toEqual([0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2]);
  });

  it('step with gamma 0.1 every 10 epochs', () => {
    const s = schedule({ name: 'step', stepEpochs: 10, gamma: 0.1 });
    expect(learningRateAt(1, s, 9, 100)).toBe(1);
    expect(learningRateAt(1, s, 10, 100)).toBeCloseTo(0.1, 15);
    expect(learningRateAt(1, s, 25, 100)).toBeCloseTo(0.01, 15);
  });

  it('step treats stepEpochs below 1 as every epoch rather than dividing by zero', () => {
    const s = schedule({ name: 'step', stepEpochs: 0, gamma: 0.5 });
    expect([0, 1, 2].map((e) => learningRateAt(1, s, e, 10))).toEqual([1, 0.5, 0.25]);
  });

  describe('cosine', () => {
    const c = schedule({ name: 'cosine', minFactor: 0.1 });

    it('starts at the base rate and reaches base·minFactor at the last epoch', () => {
      expect(learningRateAt(0.2, c, 0, 11)).toBeCloseTo(0.2, 15);
      expect(learningRateAt(0.2, c, 10, 11)).toBeCloseTo(0.02, 15);
    });

    it('is halfway between the two at the middle epoch, and follows the cosine at a quarter', () => {
      // min + ½(base − min)(1 + cos πp): p = ½ gives the midpoint, p = ¼ gives min + ½(base − min)(1 + √2/2).
      expect(learningRateAt(0.2, c, 5, 11)).toBeCloseTo(0.11, 15);
      const quarter = learningRateAt(1, schedule({ name: 'cosine', minFactor: 0 }), 1, 5);
      expect(quarter).toBeCloseTo(0.5 * (1 + Math.SQRT1_2), 15);
    });

    it('decreases monotonically and never goes below the minimum, even past the last epoch', () => {
      const rates = Array.from({ length: 11 }, (_, e) => learningRateAt(0.2, c, e, 11));
      for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThan(rates[i - 1]!);
      expect(learningRateAt(0.2, c, 15, 11)).toBeCloseTo(0.02, 15);
    });

    it('a one-epoch run uses the base rate', () => {
      expect(learningRateAt(0.2, c, 0, 1)).toBe(0.2);
    });

    it('minFactor 0 ends at exactly zero', () => {
      expect(learningRateAt(0.5, schedule({ name: 'cosine', minFactor: 0 }), 9, 10)).toBeCloseTo(0, 15);
    });
  });
});
