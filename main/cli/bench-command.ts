import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { endToEndBench } from '../bench/end-to-end-bench';
import { QUALITY_DATASET_IDS } from '../bench/quality-datasets';
import { benchmarkFile, measureImport, measureImportInThisProcess, measurePandasImport, type ImportMeasurement } from '../bench/import-bench';
import {
  measureNnlabInThisProcess, measureTrainPeer, summarize, TRAIN_PEERS,
  type Skipped, type TrainMeasurement, type TrainPeer, type TrainSummary,
} from '../bench/train-bench';
import { evaluateGoals, goalLine } from '../bench/train-goals';
import { WORKLOADS } from '../bench/workloads';
import { qualityPart } from './bench-quality';
import { textTable } from './format';
import { positiveNumber, wholeNumber } from './options';
import type { Io } from './io';

interface BenchFlags {
  only?: 'import' | 'train' | 'end-to-end' | 'quality';
  rows: number;
  runs: number;
  seconds: number;
  workloads: string[];
  peers: TrainPeer[];
  child?: string;
  workload?: string;
  datasets: string[];
  seeds: number;
  nnlabArgs: string;
  sklearn: boolean;
}

const listOf = <T extends string>(allowed: readonly T[], what: string) => (text: string): T[] => {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new InvalidArgumentError(`unknown ${what} "${item}"; expected some of ${allowed.join(', ')}.`);
  }
  return items as T[];
};

export function benchCommand(io: Io): Command {
  return new Command('bench')
    .description('Measure nnlab next to its peers, in the same run: CSV import against the raw parser, and training '
      + 'speed on workloads W1–W4 against TensorFlow.js (cpu, wasm), NumPy and PyTorch (when installed). '
      + 'Prints one JSON line per measurement, then tables. The quality part (test scores of nnlab\'s defaults against '
      + 'scikit-learn\'s MLPs on the same splits of public datasets) takes many minutes, so it runs only with --only quality.')
    .addOption(new Option('--only <part>', 'run only one part (without it: every part but quality)').choices(['import', 'train', 'end-to-end', 'quality']))
    .option('--rows <n>', 'rows in the synthetic import file (1,000,000 make about 150 MB)', wholeNumber(1000), 1_000_000)
    .option('--runs <n>', 'runs of each measurement, interleaved; the median is reported', wholeNumber(1), 3)
    .option('--seconds <s>', 'timed seconds of training per run, after a 0.3 s warm-up', positiveNumber, 1.5)
    .addOption(new Option('--workloads <list>', 'training workloads from bench/workloads.json, comma-separated')
      .argParser(listOf(WORKLOADS.map((w) => w.id), 'workload')).default(WORKLOADS.map((w) => w.id), WORKLOADS.map((w) => w.id).join(',')))
    .addOption(new Option('--peers <list>', 'training peers, comma-separated')
      .argParser(listOf(TRAIN_PEERS, 'peer')).default([...TRAIN_PEERS], TRAIN_PEERS.join(',')))
    .addOption(new Option('--datasets <list>', 'quality: datasets, comma-separated; all but iris, penguins and spiral come from scikit-learn and need a python3 with it and pandas')
      .argParser(listOf(QUALITY_DATASET_IDS, 'dataset')).default([...QUALITY_DATASET_IDS], QUALITY_DATASET_IDS.join(',')))
    .option('--seeds <n>', 'quality: seeds 1…n, each one split and one training per peer; mean ± sd over them', wholeNumber(1), 3)
    .option('--nnlab-args <flags>', 'quality: extra `nnlab train` flags for every nnlab run, e.g. "--layers 64,32 --lr 0.001"', '')
    .option('--no-sklearn', 'quality: train nnlab alone, without scikit-learn\'s MLPs')
    .addOption(new Option('--child <kind>').hideHelp())
    .addOption(new Option('--workload <id>').hideHelp())
    .argument('[file]', 'with --child: the file to measure')
    .action(async (file: string | undefined, flags: BenchFlags) => {
      if (flags.child) {
        if (flags.child === 'train-nnlab' || flags.child === 'train-nnlab-js') {
          io.out(JSON.stringify(measureNnlabInThisProcess(flags.child.slice(6) as 'nnlab' | 'nnlab-js', flags.workload ?? 'W1', flags.seconds)));
          return;
        }
        const kind = flags.child === 'import-raw' ? 'raw' : 'nnlab';
        io.out(JSON.stringify(await measureImportInThisProcess(kind, file!)));
        return;
      }
      const cli = fileURLToPath(import.meta.url);
      if (!flags.only || flags.only === 'import') await importBench(io, cli, flags);
      if (!flags.only || flags.only === 'train') trainBench(io, cli, flags);
      if (!flags.only || flags.only === 'end-to-end') await endToEnd(io, cli, flags);
      if (flags.only === 'quality') await qualityPart(io, flags);
    });
}

async function endToEnd(io: Io, cli: string, flags: BenchFlags): Promise<void> {
  io.err('Training whole runs with nnlab train…');
  const results = await endToEndBench(cli, flags.rows);
  for (const r of results) io.out(JSON.stringify({ ...r, seconds: round(r.seconds, 2), worker_peak_mb: r.worker_peak_mb === null ? null : Math.round(r.worker_peak_mb) }));
  io.out('');
  io.out(textTable([
    ['end to end (nnlab train)', 'rows', 'epochs', 'seconds', 'test accuracy', 'worker peak memory (MB)'],
    ...results.map((r) => [r.task, r.rows.toLocaleString('en-US'), String(r.epochs), r.seconds.toFixed(2), r.test_accuracy === null ? '–' : `${(100 * r.test_accuracy).toFixed(1)}%`, r.worker_peak_mb === null ? '–' : String(Math.round(r.worker_peak_mb))]),
  ]));
  io.out('');
}

async function importBench(io: Io, cli: string, flags: BenchFlags): Promise<void> {
  io.err(`Preparing a ${flags.rows.toLocaleString('en-US')}-row CSV file…`);
  const path = await benchmarkFile(flags.rows);
  const results: ImportMeasurement[][] = [[], [], []];
  let pandasSkipped: string | null = null;
  // Interleaved, so that a slow moment on a shared machine hits all alike.
  for (let run = 0; run < flags.runs; run++) {
    results[0]!.push(measureImport(cli, 'raw', path));
    results[1]!.push(measureImport(cli, 'nnlab', path));
    if (pandasSkipped !== null) continue;
    const pandas = measurePandasImport(path);
    if ('skipped' in pandas) pandasSkipped = pandas.skipped;
    else results[2]!.push(pandas);
  }
  const medians = results.filter((runs) => runs.length > 0).map((runs) => median(runs));
  for (const m of medians) io.out(JSON.stringify({ bench: 'import', file_mb: round(statSync(path).size / 1e6, 1), runs: flags.runs, ...roundAll(m) }));
  if (pandasSkipped !== null) io.out(JSON.stringify({ bench: 'import', peer: 'pandas.read_csv', skipped: pandasSkipped }));
  const [raw, ours, pandas] = medians as [ImportMeasurement, ImportMeasurement, ImportMeasurement | undefined];
  io.out('');
  io.out(textTable([
    ['import', 'rows/s', 'MB/s', 'peak memory (MB)', 'seconds'],
    ...medians.map((m) => [m.peer, Math.round(m.rows_per_s).toLocaleString('en-US'), m.mb_per_s.toFixed(1), Math.round(m.peak_rss_mb).toString(), m.seconds.toFixed(2)]),
  ]));
  io.out(`nnlab import takes ${(ours.seconds / raw.seconds).toFixed(2)}× the parser's time: typing, checking and typed-array conversion.`);
  if (pandas) {
    const fast = ours.seconds <= pandas.seconds;
    const lean = ours.peak_rss_mb <= pandas.peak_rss_mb;
    io.out(`Goal (at least pandas' speed, at most its peak memory): ${fast && lean ? 'met' : 'NOT met'}: `
      + `nnlab imports at ${(pandas.seconds / ours.seconds).toFixed(2)}× pandas.read_csv's speed with ${(ours.peak_rss_mb / pandas.peak_rss_mb).toFixed(2)}× its peak memory.`);
  } else {
    io.out(`pandas.read_csv is not measured: ${pandasSkipped}.`);
  }
  io.out('');
}

function trainBench(io: Io, cli: string, flags: BenchFlags): void {
  const peers = flags.peers;
  const workloads = flags.workloads;
  const runs = new Map<string, TrainMeasurement[]>();
  const skipped = new Map<TrainPeer, string>();
  const key = (peer: string, workload: string): string => `${peer} ${workload}`;
  io.err(`Training ${workloads.join(', ')} on ${peers.join(', ')}: ${flags.runs} interleaved runs of ${flags.seconds} s each, one process per run…`);
  // Interleaved: every round measures every peer on every workload once, so a slow moment hits all alike.
  for (let run = 0; run < flags.runs; run++) {
    for (const workload of workloads) {
      for (const peer of peers) {
        if (skipped.has(peer)) continue;
        const result = measureTrainPeer(cli, peer, workload, flags.seconds);
        if ('skipped' in result) {
          skipped.set(peer, (result as Skipped).skipped);
          io.err(`${peer}: skipped (${(result as Skipped).skipped})`);
          continue;
        }
        io.err(`  run ${run + 1} ${workload} ${peer}: ${Math.round(result.samples_per_s).toLocaleString('en-US')} samples/s`);
        const list = runs.get(key(peer, workload)) ?? [];
        list.push(result);
        runs.set(key(peer, workload), list);
      }
    }
  }
  const summaries = new Map<string, TrainSummary>();
  for (const workload of workloads) {
    for (const peer of peers) {
      const list = runs.get(key(peer, workload));
      if (!list?.length) continue;
      const s = summarize(list);
      summaries.set(key(peer, workload), s);
      io.out(JSON.stringify({
        peer: s.peer, workload: s.workload, threads: s.threads, samples_per_s: Math.round(s.samples_per_s),
        ms_per_step: round(s.ms_per_step, 4), gflops: round(s.gflops, 3), runs: s.runs,
        min_samples_per_s: Math.round(s.min_samples_per_s), max_samples_per_s: Math.round(s.max_samples_per_s),
        spread_pct: round(s.spread_pct, 1), note: s.note,
      }));
    }
  }
  for (const [peer, reason] of skipped) io.out(JSON.stringify({ peer, skipped: reason }));

  const present = peers.filter((p) => workloads.some((w) => summaries.has(key(p, w))));
  const rate = (peer: string, workload: string): number | undefined => summaries.get(key(peer, workload))?.samples_per_s;
  io.out('');
  io.out(textTable([
    ['samples/s (median)', ...present],
    ...workloads.map((w) => [w, ...present.map((p) => {
      const s = summaries.get(key(p, w));
      return s ? `${Math.round(s.samples_per_s).toLocaleString('en-US')} ±${Math.round(s.spread_pct / 2)}%` : '–';
    })]),
  ]));
  const others = present.filter((p) => p !== 'nnlab');
  if (present.includes('nnlab') && others.length) {
    io.out('');
    io.out(textTable([
      ['nnlab ÷ peer', ...others, 'nnlab GFLOPS'],
      ...workloads.map((w) => {
        const ours = rate('nnlab', w);
        return [w, ...others.map((p) => {
          const theirs = rate(p, w);
          return ours && theirs ? `${(ours / theirs).toFixed(2)}×` : '–';
        }), summaries.get(key('nnlab', w))?.gflops.toFixed(2) ?? '–'];
      }),
    ]));
  }
  if (present.includes('nnlab')) {
    io.out('');
    io.out('Goals:');
    // Every peer is measured at one thread in this part so far; other counts are not measurable yet.
    const rateAt = (peer: string, threads: number, workload: string): number | undefined => (threads === 1 ? rate(peer, workload) : undefined);
    for (const verdict of evaluateGoals(rateAt, skipped, workloads)) io.out(goalLine(verdict));
  }
}

function median(runs: ImportMeasurement[]): ImportMeasurement {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function roundAll<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'number' ? round(v, 3) : v])) as T;
}
