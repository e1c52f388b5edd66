import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { benchmarkFile, measureImport, measureImportInThisProcess, type ImportMeasurement } from '../bench/import-bench';
import { textTable } from './format';
import { wholeNumber } from './options';
import type { Io } from './io';

interface BenchFlags {
  rows: number;
  runs: number;
  child?: string;
}

export function benchCommand(io: Io): Command {
  return new Command('bench')
    .description('Measure nnlab: CSV import speed and memory next to the raw parser, measured in the same run. Prints one JSON line per measurement, then a table.')
    .option('--rows <n>', 'rows in the synthetic import file (1,000,000 make about 150 MB)', wholeNumber(1000), 1_000_000)
    .option('--runs <n>', 'runs of each measurement; the median is reported', wholeNumber(1), 3)
    .addOption(new Command().createOption('--child <kind>').hideHelp())
    .argument('[file]', 'with --child: the file to measure')
    .action(async (file: string | undefined, flags: BenchFlags) => {
      if (flags.child) {
        const kind = flags.child === 'import-raw' ? 'raw' : 'nnlab';
        io.out(JSON.stringify(await measureImportInThisProcess(kind, file!)));
        return;
      }
      const cli = fileURLToPath(import.meta.url);
      io.err(`Preparing a ${flags.rows.toLocaleString('en-US')}-row CSV file…`);
      const path = await benchmarkFile(flags.rows);
      const results: ImportMeasurement[][] = [[], []];
      // Interleaved, so that a slow moment on a shared machine hits both alike.
      for (let run = 0; run < flags.runs; run++) {
        results[0]!.push(measureImport(cli, 'raw', path));
        results[1]!.push(measureImport(cli, 'nnlab', path));
      }
      const medians = results.map((runs) => median(runs));
      for (const m of medians) io.out(JSON.stringify({ bench: 'import', file_mb: round(statSync(path).size / 1e6, 1), runs: flags.runs, ...roundAll(m) }));
      const [raw, ours] = medians as [ImportMeasurement, ImportMeasurement];
      io.out('');
      io.out(textTable([
        ['import', 'rows/s', 'MB/s', 'peak memory (MB)', 'seconds'],
        ...medians.map((m) => [m.peer, Math.round(m.rows_per_s).toLocaleString('en-US'), m.mb_per_s.toFixed(1), Math.round(m.peak_rss_mb).toString(), m.seconds.toFixed(2)]),
      ]));
      io.out(`nnlab import takes ${(ours.seconds / raw.seconds).toFixed(2)}× the parser's time: typing, checking and typed-array conversion.`);
    });
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
