import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import type { RunRecord } from '../../common/run-record';
import { finalMetrics, SWEEP_SEEDS, sweepMetricLabel, sweepName, sweepRequest, sweepStats, type SweepStats } from '../../common/sweep';
import { checkLabHome, resolveLabHome } from '../lab-home';
import { RunStore } from '../store/run-store';
import { compactNumber, formatPercent, textTable } from './format';
import type { Io } from './io';
import { addTrainOptions, trainRequestOf, type TrainFlags } from './train-command';
import { exitCodeOf, trainRun } from './train-run';
import { sweepCompareCommand } from './sweep-compare';

interface SweepFlags extends TrainFlags {
  seeds?: number;
}

function seedCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < SWEEP_SEEDS.min || n > SWEEP_SEEDS.max) {
    throw new InvalidArgumentError(`--seeds takes a whole number from ${SWEEP_SEEDS.min} to ${SWEEP_SEEDS.max}.`);
  }
  return n;
}

/**
 * `nnlab sweep FILE --seeds K` trains (its default subcommand, `train`); `nnlab sweep compare A B` compares. Each is a
 * subcommand of its own so that options such as --home and --json belong to the one that is run.
 */
export function sweepCommand(io: Io): Command {
  return new Command('sweep')
    .description('Train one configuration over several seeds (nnlab sweep FILE --seeds K), or compare two sweeps with a paired t-test (nnlab sweep compare A B).')
    .addCommand(sweepTrainCommand(io), { isDefault: true })
    .addCommand(sweepCompareCommand(io));
}

function sweepTrainCommand(io: Io): Command {
  return addTrainOptions(new Command('train')
    .description('Train one configuration over several seeds in parallel workers, keep every run in the lab as one sweep, and report each final metric\'s mean ± sd. Compare two sweeps with `nnlab sweep compare`.')
    .argument('<file.csv>', 'the training data: a header row, then one row per example')
    .option('--seeds <k>', `how many seeds to train, from ${SWEEP_SEEDS.min} to ${SWEEP_SEEDS.max}: seeds 1 to k, or --seed to --seed + k − 1 when --seed is given`, seedCount))
    .option('--json', 'print one JSON object with the sweep on the last line of stdout')
    .action(async (file: string, flags: SweepFlags, self: Command) => {
      if (flags.seeds === undefined) throw new Error(`a sweep needs --seeds K, the number of seeds to train (${SWEEP_SEEDS.min} to ${SWEEP_SEEDS.max}).`);
      const baseSeed = self.getOptionValueSource('seed') === 'cli' ? flags.seed : 1;
      io.exitCode = await runSweep(file, { ...flags, seeds: flags.seeds }, baseSeed, io);
    });
}

async function runSweep(file: string, flags: SweepFlags & { seeds: number }, baseSeed: number, io: Io): Promise<number> {
  const request = trainRequestOf(file, flags);
  const store = new RunStore(await checkLabHome(resolveLabHome(flags.home, io.env)));
  const sweep = { id: store.newId(), name: sweepName(file, flags.seeds, request.settings.name) };
  const json = flags.json === true;
  const workers = Math.max(1, Math.min(availableParallelism(), flags.seeds));
  if (!json) io.out(`Sweep ${sweep.id} · ${sweep.name} · seeds ${baseSeed} to ${baseSeed + flags.seeds - 1} · ${workers} at a time`);
  // Runs in parallel would redraw one progress line over each other, so each says only when it ends.
  const quietIo: Io = { ...io, stderrIsTTY: false };
  const notesSaid = new Set<string>();
  const runs: (RunRecord | null)[] = new Array<RunRecord | null>(flags.seeds).fill(null);
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < flags.seeds) {
      const index = next++;
      const result = await trainRun(sweepRequest(request, sweep, flags.seeds, baseSeed, index), store, { json: true, quiet: true, notesSaid }, quietIo);
      if (result.failed) {
        failures++;
        io.err(`nnlab: seed ${index + 1} of ${flags.seeds} failed; the sweep is incomplete.`);
        continue;
      }
      runs[index] = result.run;
      if (!json) io.out(runLine(result.run, index, flags.seeds));
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));

  const done = runs.filter((r): r is RunRecord => r !== null);
  const stats = sweepStats(done.map((r) => finalMetrics(r.summary)));
  if (json) {
    io.out(JSON.stringify(sweepJson(sweep, done, stats)));
  } else if (done.length > 0) {
    io.out('');
    io.out(statsTable(stats));
    io.out('');
    io.out(`mean ± sample standard deviation (n − 1) of the final metrics over ${done.length} seeds`);
  }
  if (failures > 0) return 1;
  return done.map(exitCodeOf).find((code) => code !== 0) ?? 0;
}

function runLine(run: RunRecord, index: number, seeds: number): string {
  const metrics = finalMetrics(run.summary);
  const key = run.task === 'regression' ? 'val.rmse' : 'val.accuracy';
  const score = metrics[key] !== undefined ? ` · ${sweepMetricLabel(key)} ${showMetric(key, metrics[key])}` : '';
  return `seed ${index + 1}/${seeds} (seed ${run.seed}) · run ${run.id} · ${run.status} after ${run.summary.epochs} epochs${score}`;
}

/** Accuracies in percent, as `train --cv` shows them; other metrics in up to five digits. */
function showMetric(key: string, value: number): string {
  return /\.(accuracy|balancedAccuracy)$/.test(key) ? formatPercent(value) : compactNumber(value);
}

function statsTable(stats: SweepStats): string {
  return textTable([['final metric', 'mean', 'sd'], ...Object.entries(stats).map(([key, { mean, sd }]) => [
    sweepMetricLabel(key), showMetric(key, mean), sd === null ? '–' : showMetric(key, sd),
  ])]);
}

/** The --json line: the sweep, its seeds, each metric's mean and sd, and each run's own final metrics. */
export function sweepJson(sweep: { id: string; name: string }, runs: readonly RunRecord[], stats: SweepStats): Record<string, unknown> {
  return {
    sweep: { id: sweep.id, name: sweep.name },
    seeds: runs.map((r) => r.seed),
    metrics: stats,
    runs: runs.map((r) => ({ run: r.id, seed: r.seed, index: r.sweep?.index ?? null, status: r.status, epochs: r.summary.epochs, metrics: finalMetrics(r.summary) })),
  };
}
