/**
 * The training-speed goals of `nnlab bench`, as ratios of nnlab to a peer measured in the same run: no peer
 * figure is remembered, so a goal is checked only against what this machine measured now.
 */
export interface TrainGoal {
  workload: string;
  /** nnlab's thread count for this goal. */
  threads: number;
  peer: string;
  peerThreads: number;
  atLeast: number;
  why?: string;
}

const everyWorkload = ['W1', 'W2', 'W3', 'W4'];

export const TRAIN_GOALS: TrainGoal[] = [
  { workload: 'W1', threads: 1, peer: 'pytorch', peerThreads: 1, atLeast: 20 },
  { workload: 'W2', threads: 1, peer: 'pytorch', peerThreads: 1, atLeast: 2 },
  { workload: 'W3', threads: 1, peer: 'pytorch', peerThreads: 1, atLeast: 1.2 },
  { workload: 'W4', threads: 1, peer: 'pytorch', peerThreads: 1, atLeast: 0.6, why: 'about the limit of 128-bit SIMD with FMA against AVX-512' },
  { workload: 'W4', threads: 2, peer: 'pytorch', peerThreads: 1, atLeast: 1 },
  ...everyWorkload.map((workload) => ({ workload, threads: 1, peer: 'tfjs-wasm', peerThreads: 1, atLeast: 3 })),
];

/** samples/s of one peer at one thread count on one workload, or undefined when it was not measured. */
export type RateOf = (peer: string, threads: number, workload: string) => number | undefined;

export type GoalVerdict =
  | { goal: TrainGoal; status: 'met' | 'not met'; ratio: number; ours: number; theirs: number }
  | { goal: TrainGoal; status: 'not measurable'; reason: string };

/** Each goal of `goals` on the measured workloads, against the rates measured in this run. */
export function evaluateGoals(rate: RateOf, skipped: ReadonlyMap<string, string>, workloads: readonly string[], goals = TRAIN_GOALS): GoalVerdict[] {
  return goals.filter((goal) => workloads.includes(goal.workload)).map((goal): GoalVerdict => {
    const ours = rate('nnlab', goal.threads, goal.workload);
    const theirs = rate(goal.peer, goal.peerThreads, goal.workload);
    if (ours === undefined) {
      return { goal, status: 'not measurable', reason: skipped.get('nnlab') ?? `nnlab was not measured at ${goal.threads} thread${goal.threads > 1 ? 's' : ''}` };
    }
    if (theirs === undefined) {
      return { goal, status: 'not measurable', reason: skipped.get(goal.peer) ?? `${goal.peer} was not measured at ${goal.peerThreads} thread${goal.peerThreads > 1 ? 's' : ''}` };
    }
    const ratio = ours / theirs;
    return { goal, status: ratio >= goal.atLeast ? 'met' : 'not met', ratio, ours, theirs };
  });
}

/** One "Goals:" line: what, the measured figures, and the verdict. */
export function goalLine(verdict: GoalVerdict): string {
  const { goal } = verdict;
  const what = `${goal.workload} nnlab ${goal.threads}t ≥ ${goal.atLeast}× ${goal.peer} ${goal.peerThreads}t`;
  if (verdict.status === 'not measurable') return `  ${what}: not measurable (${verdict.reason})`;
  const figures = `${verdict.ratio.toFixed(2)}× (${Math.round(verdict.ours).toLocaleString('en-US')} vs ${Math.round(verdict.theirs).toLocaleString('en-US')} samples/s)`;
  return `  ${what}: ${verdict.status === 'met' ? 'met' : 'NOT met'}, ${figures}${goal.why ? `; ${goal.why}` : ''}`;
}
