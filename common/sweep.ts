import { mean, pairedTTest, sampleSd, type PairedTTest } from '../engine/stats';
import { metricLabel } from './experiment';
import { z } from 'zod';
import { experimentRefSchema, type SweepRef, type TrainRequest } from './settings';

/** What a run says of the seed sweep it is one seed of (as run.json and the run list carry it). */
export interface SweepOf {
  id: string;
  name: string;
  /** From 1. */
  index: number;
  seeds: number;
}

/** The fewest and most seeds a sweep trains. */
export const SWEEP_SEEDS = { min: 2, max: 100 } as const;

/** A sweep's name unless one is given: the data file's name and the number of seeds, "iris 5 seeds". */
export function sweepName(file: string, seeds: number, name?: string): string {
  return name ?? `${file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '')} ${seeds} seeds`;
}

/** The seed of run `index` (from 0) of a sweep: the base seed plus the index. */
export function sweepSeed(baseSeed: number, index: number): number {
  return baseSeed + index;
}

/** The request of run `index` (from 0) of a sweep: the same data and settings with seed base + index. */
export function sweepRequest(request: TrainRequest, sweep: { id: string; name: string }, seeds: number, baseSeed: number, index: number): TrainRequest {
  const ref: SweepRef = { id: sweep.id, name: sweep.name, index: index + 1, seeds };
  return {
    ...request,
    settings: { ...request.settings, seed: sweepSeed(baseSeed, index), name: `${sweep.name} · seed ${index + 1}/${seeds}` },
    sweep: ref,
  };
}

const SPLITS = ['train', 'val', 'test'] as const;
type Split = (typeof SPLITS)[number];
const SPLIT_LABELS: Readonly<Record<Split, string>> = { train: 'training', val: 'validation', test: 'test' };

/** A run's final metrics as a sweep reads them: "val.accuracy", "test.loss", … to their numbers. */
export function finalMetrics(summary: Readonly<Partial<Record<Split, Readonly<Record<string, unknown>> | null>>>): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const split of SPLITS) {
    for (const [key, value] of Object.entries(summary[split] ?? {})) {
      if (typeof value === 'number' && Number.isFinite(value)) metrics[`${split}.${key}`] = value;
    }
  }
  return metrics;
}

/** "validation accuracy" for "val.accuracy". */
export function sweepMetricLabel(key: string): string {
  const [split, metric] = key.split('.', 2) as [string, string | undefined];
  if (metric === undefined) return metricLabel(split);
  return `${SPLIT_LABELS[split as Split] ?? split} ${metricLabel(metric)}`;
}

/** Mean and sample sd (n − 1, null for one run) of each metric over the runs that have it. */
export type SweepStats = Record<string, { mean: number; sd: number | null }>;

export function sweepStats(runs: readonly Readonly<Record<string, number>>[]): SweepStats {
  const values = new Map<string, number[]>();
  for (const metrics of runs) {
    for (const [key, value] of Object.entries(metrics)) {
      const list = values.get(key);
      if (list) list.push(value);
      else values.set(key, [value]);
    }
  }
  const stats: SweepStats = {};
  for (const [key, list] of values) {
    const sd = sampleSd(list);
    stats[key] = { mean: mean(list), sd: Number.isNaN(sd) ? null : sd };
  }
  return stats;
}

/** Metrics where a lower value is the better one; the others (accuracy, R²) are better higher. */
const LOWER_IS_BETTER = new Set(['loss', 'rmse', 'mae']);

export function lowerIsBetter(key: string): boolean {
  return LOWER_IS_BETTER.has(key.split('.').pop() ?? key);
}

/** The metric a comparison reads unless told: validation accuracy for classes, validation RMSE for numbers. */
export function defaultCompareMetric(task: string): string {
  return task === 'regression' ? 'val.rmse' : 'val.accuracy';
}

/** One seed's pair: each sweep's run of that seed and its value of the metric. */
export interface SeedPair {
  seed: number;
  a: { run: string; value: number };
  b: { run: string; value: number };
}

/** Two sweeps compared by a paired t-test over the seeds both trained. */
export interface SweepComparison {
  metric: string;
  a: { id: string; name: string; mean: number };
  b: { id: string; name: string; mean: number };
  pairs: SeedPair[];
  /** Of b − a. */
  test: PairedTTest;
  /** Which sweep is better at the 5 % level, null for no clear difference. */
  better: 'a' | 'b' | null;
  sentence: string;
}

/** The level below which a p-value counts as a clear difference. */
export const SIGNIFICANCE = 0.05;

export interface SweepMember {
  run: string;
  seed: number;
  metrics: Readonly<Record<string, number>>;
}

/**
 * Pairs the runs of two sweeps by seed and tests the mean difference of `metric` (b − a). Seeds only one
 * sweep has, or runs without the metric, are left out; fewer than two pairs cannot be tested.
 */
export function compareSweeps(a: { id: string; name: string; runs: readonly SweepMember[] }, b: { id: string; name: string; runs: readonly SweepMember[] }, metric: string): SweepComparison {
  const bySeed = new Map(b.runs.filter((r) => r.metrics[metric] !== undefined).map((r) => [r.seed, r]));
  const pairs: SeedPair[] = [];
  for (const run of a.runs) {
    const other = bySeed.get(run.seed);
    const value = run.metrics[metric];
    if (!other || value === undefined) continue;
    pairs.push({ seed: run.seed, a: { run: run.run, value }, b: { run: other.run, value: other.metrics[metric]! } });
  }
  pairs.sort((x, y) => x.seed - y.seed);
  if (pairs.length < 2) {
    throw new Error(`the sweeps ${a.name} and ${b.name} share ${pairs.length === 0 ? 'no seed' : 'one seed'} with ${sweepMetricLabel(metric)}, and a paired test needs at least two.`);
  }
  const test = pairedTTest(pairs.map((p) => p.a.value), pairs.map((p) => p.b.value));
  const bHigher = test.meanDifference > 0;
  const better = test.p < SIGNIFICANCE && test.meanDifference !== 0 ? (bHigher !== lowerIsBetter(metric) ? 'b' : 'a') : null;
  const sides = { a: { id: a.id, name: a.name, mean: mean(pairs.map((p) => p.a.value)) }, b: { id: b.id, name: b.name, mean: mean(pairs.map((p) => p.b.value)) } };
  // Two sweeps of one name are told apart by the ends of their ids, as the Runs table shows them.
  const said = (side: { id: string; name: string }) => (a.name === b.name ? `${side.name} (${side.id.slice(-4)})` : side.name);
  return { metric, ...sides, pairs, test, better, sentence: comparisonSentence(said(a), said(b), metric, test, better) };
}

/** Three significant digits, as a person reads a difference. */
function roundForReading(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(3)).toString();
}

function pValueText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${Number(p.toPrecision(2))}`;
}

/** "B is better on validation accuracy by 0.021 ± 0.008 (paired t-test over 10 seeds, p = 0.03)", or no clear difference. */
export function comparisonSentence(aName: string, bName: string, metric: string, test: PairedTTest, better: 'a' | 'b' | null): string {
  const how = `paired t-test over ${test.n} seeds, ${pValueText(test.p)}`;
  const label = sweepMetricLabel(metric);
  if (better === null) return `No clear difference between ${aName} and ${bName} on ${label}: ${bName} − ${aName} = ${roundForReading(test.meanDifference)} ± ${roundForReading(test.standardError)} (${how}).`;
  const winner = better === 'b' ? bName : aName;
  return `${winner} is better on ${label} by ${roundForReading(Math.abs(test.meanDifference))} ± ${roundForReading(test.standardError)} (${how}).`;
}

/** A seed sweep as the runs still on disk show it. */
export interface SweepSummary {
  id: string;
  name: string;
  seeds: number;
  /** The runs that remain, by index. */
  runs: { id: string; index: number; seed: number | null }[];
  /** Over the remaining runs' final metrics ("val.accuracy", …). */
  metrics: SweepStats;
}

/** A run as a list of runs carries it, as far as sweeps read it. */
export interface SweepListRun {
  id: string;
  seed?: number | undefined;
  sweep?: SweepOf | undefined;
  train?: Readonly<Record<string, unknown>> | null | undefined;
  val?: Readonly<Record<string, unknown>> | null | undefined;
  test?: Readonly<Record<string, unknown>> | null | undefined;
}

/** The sweeps among runs, in the order their first run appears. */
export function sweepSummaries(runs: readonly SweepListRun[]): SweepSummary[] {
  const groups = new Map<string, { of: SweepOf; members: SweepListRun[] }>();
  for (const run of runs) {
    if (!run.sweep) continue;
    const group = groups.get(run.sweep.id);
    if (group) group.members.push(run);
    else groups.set(run.sweep.id, { of: run.sweep, members: [run] });
  }
  return [...groups.values()].map(({ of, members }) => {
    members.sort((a, b) => a.sweep!.index - b.sweep!.index);
    return {
      id: of.id,
      name: of.name,
      seeds: of.seeds,
      runs: members.map((m) => ({ id: m.id, index: m.sweep!.index, seed: m.seed ?? null })),
      metrics: sweepStats(members.map((m) => finalMetrics(m))),
    };
  });
}

/** A sweep's runs from a list of runs, each with its seed (the index's when the list has no seed) and final metrics. */
export function sweepMembers(runs: readonly SweepListRun[], id: string): SweepMember[] {
  return runs.filter((r) => r.sweep?.id === id).map((r) => ({ run: r.id, seed: r.seed ?? r.sweep!.index, metrics: finalMetrics(r) }));
}

/** "3 of 5 seeds remain" when some runs were deleted, else "5 seeds". */
export function seedsLeft(summary: SweepSummary): string {
  return summary.runs.length === summary.seeds ? `${summary.seeds} seeds` : `${summary.runs.length} of ${summary.seeds} seeds remain`;
}

/**
 * Seed `index` (from 0) of a sweep of `seeds` as the app asks for it: `sweep` null begins a new sweep (its id and
 * name come back with the first run), the later seeds pass it on.
 */
export const sweepChoiceSchema = z.object({
  seeds: z.number().int().min(SWEEP_SEEDS.min).max(SWEEP_SEEDS.max),
  index: z.number().int().nonnegative(),
  sweep: experimentRefSchema.nullable(),
}).strict().refine((s) => s.index < s.seeds, { message: 'the seed index must be below the number of seeds' });
export type SweepChoice = z.infer<typeof sweepChoiceSchema>;
