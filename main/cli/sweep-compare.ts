import { Command } from 'commander';
import type { RunRecord } from '../../common/run-record';
import { compareSweeps, defaultCompareMetric, finalMetrics, sweepMetricLabel, type SweepComparison, type SweepMember } from '../../common/sweep';
import { resolveLabHome } from '../lab-home';
import { RunStore } from '../store/run-store';
import { compactNumber, textTable } from './format';
import type { Io } from './io';

interface CompareFlags {
  metric?: string;
  home?: string;
  json?: boolean;
}

interface StoredSweep {
  id: string;
  name: string;
  task: string;
  runs: SweepMember[];
}

/** A sweep's runs as the lab folder keeps them, each with its seed and final metrics. */
export function storedSweep(runs: readonly RunRecord[], id: string, home: string): StoredSweep {
  const members = runs.filter((r) => r.sweep?.id === id);
  const first = members[0];
  if (!first?.sweep) throw new Error(`there is no sweep ${id} in the lab folder ${home} (nnlab runs list shows each run's sweep).`);
  return { id, name: first.sweep.name, task: first.task, runs: members.map((r) => ({ run: r.id, seed: r.seed, metrics: finalMetrics(r.summary) })) };
}

/** "accuracy" means the validation accuracy; "test.accuracy" says the split. */
function metricKey(metric: string | undefined, sweeps: readonly StoredSweep[]): string {
  const known = new Set(sweeps.flatMap((s) => s.runs.flatMap((r) => Object.keys(r.metrics))));
  // Without validation rows the default is the test split's metric, then the training split's.
  const fallback = defaultCompareMetric(sweeps[0]!.task).replace(/^val\./, '');
  const key = metric === undefined ? (['val', 'test', 'train'].map((split) => `${split}.${fallback}`).find((k) => known.has(k)) ?? `val.${fallback}`) : metric.includes('.') ? metric : `val.${metric}`;
  if (!known.has(key)) {
    throw new Error(`the sweeps have no metric ${metric ?? key}; --metric takes one of ${[...known].sort().join(', ')}.`);
  }
  return key;
}

export function comparisonJson(c: SweepComparison): Record<string, unknown> {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    metric: c.metric,
    a: c.a,
    b: c.b,
    seeds: c.pairs.map((p) => p.seed),
    pairs: c.pairs,
    mean_difference: c.test.meanDifference,
    sd_difference: c.test.sdDifference,
    standard_error: c.test.standardError,
    t: finite(c.test.t),
    df: c.test.df,
    p: c.test.p,
    better: c.better === null ? null : c[c.better].id,
    sentence: c.sentence,
  };
}

function comparisonText(c: SweepComparison): string {
  const label = sweepMetricLabel(c.metric);
  const rows = c.pairs.map((p) => [String(p.seed), compactNumber(p.a.value), compactNumber(p.b.value), compactNumber(p.b.value - p.a.value)]);
  return [
    `A: ${c.a.name} (${c.a.id}) · B: ${c.b.name} (${c.b.id}) · ${label}, paired by seed`,
    '',
    textTable([['seed', 'A', 'B', 'B − A'], ...rows]),
    '',
    `mean difference B − A ${compactNumber(c.test.meanDifference)} ± ${compactNumber(c.test.standardError)} (standard error) · t = ${Number.isFinite(c.test.t) ? compactNumber(c.test.t) : String(c.test.t)} · df = ${c.test.df} · two-sided p = ${compactNumber(c.test.p)}`,
    c.sentence,
  ].join('\n');
}

export function sweepCompareCommand(io: Io): Command {
  return new Command('compare')
    .description('Compare two sweeps with a paired t-test over the seeds both trained: the mean difference B − A, t, degrees of freedom, the two-sided p-value, and which is better.')
    .argument('<sweepA>', 'the id of a sweep in the lab folder (nnlab sweep prints it)')
    .argument('<sweepB>', 'the id of the sweep to compare with it')
    .option('--metric <metric>', 'the final metric to compare, as split.metric (val.accuracy, test.loss, …; a metric alone is the validation one). Default: val.accuracy for classes, val.rmse for numbers')
    .option('--home <dir>', 'the lab folder (default: NNLAB_HOME, else the desktop app’s data folder)')
    .option('--json', 'print one JSON object on the last line of stdout')
    .action(async (a: string, b: string, flags: CompareFlags) => {
      const store = new RunStore(resolveLabHome(flags.home, io.env));
      const { runs } = await store.list();
      const sweeps = [storedSweep(runs, a, store.home), storedSweep(runs, b, store.home)] as const;
      const comparison = compareSweeps(sweeps[0], sweeps[1], metricKey(flags.metric, sweeps));
      io.out(flags.json ? JSON.stringify(comparisonJson(comparison)) : comparisonText(comparison));
    });
}
