import type { QualityTask } from './quality-datasets';
import { meanAndSampleSd } from '../../common/experiment';
import { SKLEARN_CONFIG_NAMES, type QualityScore, type SklearnConfig } from './quality-peers';

/** One peer's scores on one dataset and seed, as printed in the bench's JSON lines. */
export interface QualityMeasurement extends QualityScore {
  bench: 'quality';
  dataset: string;
  seed: number;
}

/** What the table says about a dataset besides the scores. */
export interface DatasetShape {
  id: string;
  task: QualityTask;
  rows: number;
  /** Input columns of the file (before one-hot encoding). */
  features: number;
  /** Classes, or null for regression. */
  classes: number | null;
}

export interface Spread {
  mean: number;
  /** Sample standard deviation over the seeds (0 for one seed). */
  sd: number;
  n: number;
}

export interface QualitySummary extends DatasetShape {
  bench: 'quality-summary';
  metric: 'accuracy' | 'r2';
  /** By peer ("nnlab", "sklearn default", …): the metric over the seeds. */
  scores: Record<string, Spread>;
  /** Balanced accuracy for classes, RMSE for regression. */
  second_metric: 'balanced_accuracy' | 'rmse';
  second: Record<string, Spread>;
  /** By peer: mean test rows scored (nnlab leaves out rows it cannot read when its missing policy drops them). */
  test_rows: Record<string, number>;
  /** By peer: mean seconds of training per seed. */
  seconds: Record<string, number>;
  /** The scikit-learn MLP with the best mean, or null without one. */
  best: string | null;
  /** nnlab's mean minus the best scikit-learn mean: below 0, nnlab is behind. */
  gap: number | null;
}

/** nnlab first, then scikit-learn's MLPs in the order the peer fits them, whatever order the runs finished in. */
function byPeer(a: string, b: string): number {
  const rank = (peer: string): number => (peer === 'nnlab' ? -1 : SKLEARN_CONFIG_NAMES.indexOf(peer.slice('sklearn '.length) as SklearnConfig));
  return rank(a) - rank(b);
}

/** Mean and sample standard deviation over the seeds; a single seed has no spread (0). */
export function spread(values: readonly number[]): Spread {
  const { mean, sd } = meanAndSampleSd(values);
  return { mean, sd: sd ?? 0, n: values.length };
}

/** Mean and spread of each peer's metric on each dataset, the best scikit-learn MLP and nnlab's gap to it. */
export function summarizeQuality(shapes: readonly DatasetShape[], measurements: readonly QualityMeasurement[]): QualitySummary[] {
  return shapes.map((shape) => {
    const classes = shape.task === 'classification';
    const metric = classes ? 'accuracy' : 'r2';
    const secondMetric = classes ? 'balanced_accuracy' : 'rmse';
    const mine = measurements.filter((m) => m.dataset === shape.id);
    const peers = [...new Set(mine.map((m) => m.peer))].sort(byPeer);
    const scores: Record<string, Spread> = {};
    const second: Record<string, Spread> = {};
    const seconds: Record<string, number> = {};
    const testRows: Record<string, number> = {};
    for (const peer of peers) {
      const runs = mine.filter((m) => m.peer === peer);
      const over = (key: typeof metric | typeof secondMetric): Spread | null => {
        const values = runs.map((m) => m[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        return values.length ? spread(values) : null;
      };
      const first = over(metric);
      if (first) scores[peer] = first;
      const other = over(secondMetric);
      if (other) second[peer] = other;
      seconds[peer] = spread(runs.map((m) => m.seconds)).mean;
      testRows[peer] = spread(runs.map((m) => m.test_rows)).mean;
    }
    const sklearn = Object.keys(scores).filter((p) => p.startsWith('sklearn'));
    const best = sklearn.length ? sklearn.reduce((a, b) => (scores[b]!.mean > scores[a]!.mean ? b : a)) : null;
    const gap = best !== null && scores.nnlab ? scores.nnlab.mean - scores[best]!.mean : null;
    return { bench: 'quality-summary', ...shape, metric, scores, second_metric: secondMetric, second, test_rows: testRows, seconds, best, gap };
  });
}

const peersOf = (summaries: readonly QualitySummary[]): string[] => [...new Set(summaries.flatMap((s) => Object.keys(s.seconds)))].sort(byPeer);

const fixed = (value: number): string => value.toFixed(3);
/** A gap with its sign; one too small to show is 0.000, neither ahead nor behind. */
const signed = (value: number): string => (fixed(Math.abs(value)) === fixed(0) ? fixed(0) : `${value > 0 ? '+' : '−'}${fixed(Math.abs(value))}`);
const withSpread = (s: Spread | undefined): string => (s === undefined ? '–' : s.n > 1 ? `${fixed(s.mean)} ± ${fixed(s.sd)}` : fixed(s.mean));

/**
 * The side-by-side table, header first: one row per dataset, each peer's mean ± sd over the seeds, the best
 * scikit-learn MLP and the gap.
 */
export function qualityRows(summaries: readonly QualitySummary[]): string[][] {
  const peers = peersOf(summaries);
  const sklearn = peers.filter((p) => p !== 'nnlab');
  const header = ['dataset', 'rows', 'features', 'task', 'metric', ...peers, ...(sklearn.length ? ['best sklearn', 'nnlab − best'] : []), 's nnlab', ...(sklearn.length ? ['s sklearn'] : [])];
  const rows = summaries.map((s) => [
    s.id,
    s.rows.toLocaleString('en-US'),
    String(s.features),
    s.classes === null ? 'regression' : `${s.classes} classes`,
    s.metric === 'accuracy' ? 'accuracy' : 'R²',
    ...peers.map((p) => withSpread(s.scores[p])),
    ...(sklearn.length ? [s.best === null ? '–' : `${fixed(s.scores[s.best]!.mean)} ${s.best.slice('sklearn '.length)}`, s.gap === null ? '–' : signed(s.gap)] : []),
    s.seconds.nnlab === undefined ? '–' : s.seconds.nnlab.toFixed(1),
    ...(sklearn.length ? [sklearn.some((p) => s.seconds[p] !== undefined) ? sklearn.reduce((a, p) => a + (s.seconds[p] ?? 0), 0).toFixed(1) : '–'] : []),
  ]);
  return [header, ...rows];
}

/** The second table, header first: balanced accuracy (classes) or RMSE (regression), each peer's mean ± sd. */
export function secondRows(summaries: readonly QualitySummary[]): string[][] {
  const peers = peersOf(summaries);
  return [
    ['dataset', 'metric', ...peers],
    ...summaries.map((s) => [s.id, s.second_metric === 'rmse' ? 'RMSE' : 'balanced accuracy', ...peers.map((p) => withSpread(s.second[p]))]),
  ];
}

/** Where nnlab scored fewer test rows than scikit-learn (rows with missing features dropped), one sentence each. */
export function testRowNotes(summaries: readonly QualitySummary[]): string[] {
  return summaries.flatMap((s) => {
    const ours = s.test_rows.nnlab;
    const theirs = Object.entries(s.test_rows).find(([peer]) => peer !== 'nnlab')?.[1];
    if (ours === undefined || theirs === undefined || ours === theirs) return [];
    return [`${s.id}: nnlab scored ${fmtRows(ours)} of the ${fmtRows(theirs)} test rows (its missing-value policy left the others out); scikit-learn imputed and scored them all.`];
  });
}

const fmtRows = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));
