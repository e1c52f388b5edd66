import { describe, expect, it } from 'vitest';
import { evaluateGoals, goalLine } from '../../main/bench/train-goals';

const rates: Record<string, number> = { 'nnlab 1 W2': 300_000, 'pytorch 1 W2': 100_000, 'nnlab 1 W3': 100_000, 'pytorch 1 W3': 100_000 };
const rate = (peer: string, threads: number, workload: string): number | undefined => rates[`${peer} ${threads} ${workload}`];

describe('training goals against peers measured in the same run', () => {
  it('meets W2 at 3× PyTorch, misses W3 at 1× (goal 1.2×), and cannot measure tfjs-wasm when it was skipped', () => {
    const verdicts = evaluateGoals(rate, new Map([['tfjs-wasm', 'tfjs not installed']]), ['W2', 'W3']);
    const w2 = verdicts.find((v) => v.goal.workload === 'W2' && v.goal.peer === 'pytorch')!;
    const w3 = verdicts.find((v) => v.goal.workload === 'W3' && v.goal.peer === 'pytorch')!;
    const tfjs = verdicts.find((v) => v.goal.workload === 'W2' && v.goal.peer === 'tfjs-wasm')!;
    expect(w2).toMatchObject({ status: 'met', ratio: 3 });
    expect(w3).toMatchObject({ status: 'not met', ratio: 1 });
    expect(tfjs).toMatchObject({ status: 'not measurable', reason: 'tfjs not installed' });
    expect(goalLine(w3)).toContain('NOT met, 1.00×');
    expect(verdicts.some((v) => v.goal.workload === 'W4')).toBe(false);
  });
});
