import { TRAINING_DEFAULTS } from '../../common/settings';
import { appPath } from '../app-paths';
import { qualityBench } from '../bench/quality-bench';
import { QUALITY_DATASETS } from '../bench/quality-datasets';
import { SKLEARN_CONFIGS, SKLEARN_MAX_ITER } from '../bench/quality-peers';
import { qualityRows, secondRows, testRowNotes } from '../bench/quality-report';
import { QUALITY_TEST_FRACTION } from '../bench/quality-split';
import { textTable } from './format';
import type { Io } from './io';

export interface QualityFlags {
  datasets: string[];
  seeds: number;
  nnlabArgs: string;
  sklearn: boolean;
}

/** nnlab's training defaults as one line of `key value` pairs, read when the bench runs, so it names what it measured. */
export function describeDefaults(): string {
  return Object.entries(TRAINING_DEFAULTS).map(([key, value]) => {
    if (key === 'layers' && Array.isArray(value)) return `layers ${value.map((l: { units: number; activation: string }) => `${l.units} ${l.activation}`).join(', ')}`;
    return `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
  }).join('; ');
}

const SKLEARN_SETTINGS = `MLPClassifier / MLPRegressor, Adam, ReLU, alpha 1e-4, max_iter ${SKLEARN_MAX_ITER}, learning rate 0.001, batch min(200, rows), `
  + 'random_state = seed; numeric columns mean-imputed and standardised, text columns most-frequent-imputed and one-hot '
  + '(a ColumnTransformer fitted on train.csv); regression targets standardised (TransformedTargetRegressor)';

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** `nnlab bench --only quality`: JSON lines as the runs finish, then the table, the seeds and each peer's settings. */
export async function qualityPart(io: Io, flags: QualityFlags): Promise<void> {
  const nnlabArgs = flags.nnlabArgs.trim() === '' ? [] : flags.nnlabArgs.trim().split(/\s+/);
  io.err(`Quality: ${count(flags.datasets.length, 'dataset')} × ${count(flags.seeds, 'seed')}, nnlab train${nnlabArgs.length ? ` ${nnlabArgs.join(' ')}` : ' (defaults)'}`
    + `${flags.sklearn ? ' and scikit-learn' : ''}, two splits at a time…`);
  const started = performance.now();
  const result = await qualityBench({
    cli: appPath('bin/nnlab.js'),
    datasets: flags.datasets,
    seeds: flags.seeds,
    nnlabArgs,
    sklearn: flags.sklearn,
    parallel: 2,
    log: (line) => io.err(line),
    measured: (m) => io.out(JSON.stringify(m)),
  });
  for (const summary of result.summaries) io.out(JSON.stringify(summary));
  for (const s of result.skipped) io.out(JSON.stringify({ bench: 'quality', skipped: s.dataset, ...(s.peer ? { peer: s.peer } : {}), reason: s.reason }));
  io.out(JSON.stringify({ bench: 'quality-settings', seeds: result.seeds, test_fraction: QUALITY_TEST_FRACTION, nnlab_defaults: TRAINING_DEFAULTS, nnlab_args: nnlabArgs,
    sklearn: 'python' in result.sklearn ? { python: result.sklearn.python, configs: SKLEARN_CONFIGS, max_iter: SKLEARN_MAX_ITER } : { missing: result.sklearn.missing } }));
  io.out('');
  io.out(textTable(qualityRows(result.summaries)));
  io.out('');
  io.out(textTable(secondRows(result.summaries)));
  io.out('');
  for (const note of testRowNotes(result.summaries)) io.out(note);
  io.out(`${result.seeds.length === 1 ? 'Seed' : 'Seeds'} ${result.seeds.join(', ')}: each seed makes one split of each dataset, `
    + `${Math.round(100 * (1 - QUALITY_TEST_FRACTION))} % training / ${Math.round(100 * QUALITY_TEST_FRACTION)} % test (stratified by class), `
    + 'written to train.csv and test.csv and read by both peers, and is each peer\'s own seed; mean ± sd over the seeds of the score on test.csv.');
  io.out(`nnlab: nnlab train train.csv --test-file test.csv --target T --seed S${nnlabArgs.length ? ` ${nnlabArgs.join(' ')}` : ''} on top of its defaults (${describeDefaults()}).`);
  if ('python' in result.sklearn) {
    io.out(`scikit-learn (${result.sklearn.python}): ${SKLEARN_CONFIGS.map((c) => `${c.name} = hidden (${c.hidden.join(', ')})`).join(', ')}; ${SKLEARN_SETTINGS}.`);
  } else {
    io.out(`scikit-learn: not run, ${result.sklearn.missing}.`);
  }
  for (const s of result.skipped) io.out(`skipped: ${s.dataset}${s.peer ? ` (${s.peer})` : ''}: ${s.reason}.`);
  const about = QUALITY_DATASETS.filter((d) => flags.datasets.includes(d.id)).map((d) => `${d.id}: ${d.about}`);
  io.out(`Datasets: ${about.join('; ')}.`);
  io.out(`${((performance.now() - started) / 1000).toFixed(0)} s in all.`);
  io.out('');
}
