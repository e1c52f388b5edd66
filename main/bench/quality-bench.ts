import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appPath } from '../app-paths';
import { pythonWith } from '../python';
import { QUALITY_DATASETS, writeDatasets } from './quality-datasets';
import { nnlabScore, sklearnScores, SKLEARN_CONFIG_NAMES, type QualityScore } from './quality-peers';
import { inParallel } from './quality-process';
import { summarizeQuality, type DatasetShape, type QualityMeasurement, type QualitySummary } from './quality-report';
import { datasetShape, writeSplit } from './quality-split';

export interface QualityOptions {
  /** The command line to train with (bin/nnlab.js's module). */
  cli: string;
  datasets: readonly string[];
  seeds: number;
  /** Extra `nnlab train` flags, on top of its defaults. */
  nnlabArgs: readonly string[];
  sklearn: boolean;
  /** Splits trained at once. */
  parallel: number;
  /** Progress, for a person watching. */
  log: (line: string) => void;
  /** Each measurement as soon as it is made. */
  measured: (m: QualityMeasurement) => void;
}

export interface QualityResult {
  seeds: number[];
  summaries: QualitySummary[];
  /** The Python whose scikit-learn fitted the MLPs, or why none did. */
  sklearn: { python: string } | { missing: string };
  /** Datasets or peers that did not run, with the reason. */
  skipped: { dataset: string; peer?: string; reason: string }[];
}

const PEER_SCRIPT = (): string => appPath('bench/sklearn_peer.py');

/** Trains nnlab (through its command line) and scikit-learn's MLPs on the same seeded splits of each dataset. */
export async function qualityBench(options: QualityOptions): Promise<QualityResult> {
  // scikit-learn makes most of the datasets even when its MLPs are left out.
  const found = pythonWith('sklearn', 'pandas');
  const python = options.sklearn ? found : null;
  const sklearn: QualityResult['sklearn'] = python !== null ? { python }
    : { missing: options.sklearn ? 'no python3 on PATH has scikit-learn and pandas (Debian: apt-get install python3-sklearn)' : 'left out with --no-sklearn' };
  const wanted = QUALITY_DATASETS.filter((d) => options.datasets.includes(d.id));
  const skipped: QualityResult['skipped'] = [];
  const seeds = Array.from({ length: options.seeds }, (_, i) => i + 1);
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-quality-'));
  try {
    for (const d of wanted) if (d.source === 'sklearn' && found === null) skipped.push({ dataset: d.id, reason: 'scikit-learn is missing, and the dataset comes from it' });
    const files = await writeDatasets(wanted, dir, found, PEER_SCRIPT());
    const shapes: DatasetShape[] = files.map(({ dataset, file }) => ({ id: dataset.id, task: dataset.task, ...datasetShape(file, dataset.target, dataset.task) }));
    const home = join(dir, 'lab');
    // Largest first, so the two lanes end together rather than one waiting out the largest set alone.
    const rowsOf = (id: string): number => shapes.find((s) => s.id === id)!.rows;
    const jobs = [...files].sort((a, b) => rowsOf(b.dataset.id) - rowsOf(a.dataset.id)).flatMap((f) => seeds.map((seed) => ({ ...f, seed })));
    const measurements: QualityMeasurement[] = [];
    const record = (dataset: string, seed: number, score: QualityScore): void => {
      const m: QualityMeasurement = { bench: 'quality', dataset, seed, ...score };
      measurements.push(m);
      options.measured(m);
      const value = m.accuracy ?? m.r2;
      options.log(`  ${dataset} seed ${seed} ${m.peer}: ${value === undefined ? '–' : value.toFixed(3)} in ${m.seconds.toFixed(1)} s`);
    };
    await inParallel(jobs, options.parallel, async ({ dataset, file, seed }) => {
      const splitDir = join(dir, `${dataset.id}-seed-${seed}`);
      mkdirSync(splitDir);
      const split = writeSplit(file, dataset.target, dataset.task, seed, splitDir);
      const files = { train: split.train, test: split.test, target: dataset.target, task: dataset.task, seed };
      options.log(`  ${dataset.id} seed ${seed}: ${split.trainRows} training, ${split.testRows} test rows`);
      try {
        record(dataset.id, seed, await nnlabScore(options.cli, files, home, options.nnlabArgs));
      } catch (error) {
        const message = (error as Error).message;
        // A flag nnlab train refuses is refused on every split: stop at once rather than fail them all.
        const usage = /^nnlab train failed: error: (.*)$/.exec(message);
        if (usage) throw new Error(`nnlab train refused the flags "${options.nnlabArgs.join(' ')}": ${usage[1]!.replace(/\.$/, '')}; check --nnlab-args against nnlab train --help.`);
        skipped.push({ dataset: dataset.id, peer: 'nnlab', reason: `seed ${seed}: ${message}` });
      }
      if (python === null) return;
      try {
        for (const score of await sklearnScores(python, PEER_SCRIPT(), files, SKLEARN_CONFIG_NAMES)) record(dataset.id, seed, score);
      } catch (error) {
        skipped.push({ dataset: dataset.id, peer: 'sklearn', reason: `seed ${seed}: ${(error as Error).message}` });
      }
    });
    // Measurements arrive in the order the parallel lanes finish; the summary reads them in the datasets' order.
    return { seeds, summaries: summarizeQuality(shapes, measurements), sklearn, skipped };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
