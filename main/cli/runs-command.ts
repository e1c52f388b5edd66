import { RUN_NAME_MAX } from '../../common/settings';
import type { RunRecord } from '../../common/run-record';
import { Command } from 'commander';
import { TrainingSession } from '../lab/training-session';
import { nodeWorkerLauncher } from '../lab/worker-launcher';
import { resolveLabHome } from '../lab-home';
import { runListItem } from '../lab/run-list-item';
import { RunStore } from '../store/run-store';
import { formatNumber, formatPercent, heldOutReport, metricsJson, textTable } from './format';
import { baselineLines, baselinesJson, resultsTable } from './baselines-format';
import { wholeNumber } from './options';
import type { Io } from './io';
import { trainToEnd } from './run-session';
import { experimentSummaries } from '../../common/experiment';
import { experimentLine } from './cross-validate';

interface StoreFlags {
  home?: string;
  json?: boolean;
}

export function runsCommand(io: Io): Command {
  const storeOf = (flags: StoreFlags) => new RunStore(resolveLabHome(flags.home, io.env));
  const common = (command: Command) => command
    .option('--home <dir>', 'the lab folder (default: NNLAB_HOME, else the desktop app’s data folder)')
    .option('--json', 'print JSON');
  const runs = new Command('runs').description('List, show, rename, delete and resume the runs kept in the lab folder.');

  runs.addCommand(common(new Command('list').description('Every run, newest first; damaged run folders are reported, not fatal.'))
    .action(async (flags: StoreFlags) => {
      const { runs: list, damaged } = await storeOf(flags).list();
      if (flags.json) {
        const items = list.map(runListItem);
        io.out(JSON.stringify({ runs: items, damaged, experiments: experimentSummaries(items) }));
        return;
      }
      for (const d of damaged) io.err(`note: skipped ${d.id}: ${d.problem}`);
      if (list.length === 0) {
        io.out('No runs yet. Train one with: nnlab train <file.csv>');
        return;
      }
      const items = list.map(runListItem);
      io.out(textTable([['id', 'name', 'status', 'task', 'network', 'epochs', 'best val', 'fold', 'created'], ...items.map((item) => {
        const best = item.metric.name === 'accuracy' ? formatPercent(item.metric.value) : formatNumber(item.metric.value);
        const fold = item.experiment ? `${item.experiment.fold}/${item.experiment.folds}` : '';
        return [item.id, item.name, item.status, item.task, item.architecture, String(item.epochs), best, fold, item.created.replace('T', ' ').slice(0, 16)];
      })]));
      const experiments = experimentSummaries(items);
      if (experiments.length > 0) io.out('');
      for (const summary of experiments) io.out(experimentLine(summary));
    }));

  runs.addCommand(common(new Command('show').description('Everything recorded about one run.').argument('<id>', 'the run id'))
    .action(async (id: string, flags: StoreFlags) => {
      const store = storeOf(flags);
      const run = await store.get(id);
      const metrics = await store.readMetrics(id);
      if (flags.json) {
        // `summary` carries the split metrics under the keys `nnlab train --json` prints them with.
        const { train, val, test } = run.summary;
        io.out(JSON.stringify({ run, metrics, summary: { train: metricsJson(train), val: metricsJson(val), test: metricsJson(test) } }));
        return;
      }
      io.out(`${run.name} (${run.id}) · ${run.status} · ${run.task} · target "${run.dataset.target}"`);
      if (run.experiment) io.out(`experiment: ${run.experiment.name} (${run.experiment.id}) · fold ${run.experiment.fold} of ${run.experiment.folds}, tested on that fold's rows`);
      io.out(`data: ${run.dataset.path} (${run.dataset.rows} rows; ${run.dataset.splits.train}/${run.dataset.splits.val}/${run.dataset.splits.test} train/validation/test)`);
      io.out(`network: ${run.model.inputs} inputs → ${run.model.layers.map((l) => `${l.units} ${l.activation}`).join(' → ')} · loss ${run.model.loss} · ${run.training.optimizer.name} lr ${run.training.learningRate} · seed ${run.seed} · kernels ${run.training.kernels ?? 'wasm'}`);
      const weights = run.training.classWeights;
      if (weights) io.out(`class weights: ${run.request.settings.classWeight ?? 'balanced'} · ${classWeightList(run, weights)}`);
      io.out(`epochs: ${run.summary.epochs} · steps: ${run.summary.steps}${run.summary.message ? ` · ${run.summary.message}` : ''}`);
      if (run.notes) io.out(`notes: ${run.notes}`);
      for (const change of run.settingChanges) io.out(`at step ${change.step}: ${change.setting} ${String(change.from)} → ${String(change.to)}`);
      io.out(`metrics: ${metrics.length} epochs logged`);
      const regression = run.task === 'regression';
      const s = run.summary;
      io.out('');
      io.out(resultsTable(s, regression));
      for (const line of baselineLines(s, regression)) io.out(line);
      const report = heldOutReport(s);
      if (report.length > 0) io.out(['', ...report].join('\n'));
    }));

  runs.addCommand(common(new Command('rename').description('Give a run a new name.').argument('<id>', 'the run id').argument('<name>', 'the new name'))
    .action(async (id: string, name: string, flags: StoreFlags) => {
      // The same rule as the app's rename (common/settings.ts): a name that shows, of at most RUN_NAME_MAX characters.
      if (name.trim() === '') throw new Error('A run needs a name that is not blank: give the new name in quotes, such as "iris baseline".');
      if (name.length > RUN_NAME_MAX) throw new Error(`A run name can be at most ${RUN_NAME_MAX} characters long; this one has ${name.length}.`);
      const run = await storeOf(flags).update(id, (r) => ({ ...r, name }));
      io.out(flags.json ? JSON.stringify({ id: run.id, name: run.name }) : `Renamed ${run.id} to "${run.name}".`);
    }));

  runs.addCommand(common(new Command('rm').description('Delete a run and its files.').argument('<id>', 'the run id'))
    .action(async (id: string, flags: StoreFlags) => {
      await storeOf(flags).remove(id);
      io.out(flags.json ? JSON.stringify({ removed: id }) : `Deleted run ${id}.`);
    }));

  runs.addCommand(common(new Command('resume').description('Continue an interrupted, stopped or finished run from its last checkpoint.')
    .argument('<id>', 'the run id')
    .option('--epochs <n>', 'train up to this many epochs in all (default: the run’s own setting)', wholeNumber(1)))
    .action(async (id: string, flags: StoreFlags & { epochs?: number }) => {
      const store = storeOf(flags);
      const session = await TrainingSession.reopen(nodeWorkerLauncher(), store.home, id, flags.epochs);
      const from = session.progress;
      if (!flags.json) io.out(`Resuming ${id} at epoch ${from?.epoch ?? 0}, step ${from?.step ?? 0}…`);
      await trainToEnd(session, (s) => s.resume());
      if (session.state === 'failed') {
        io.err(`nnlab: ${session.exitMessage}`);
        io.exitCode = 1;
        return;
      }
      const run = await store.get(id);
      if (flags.json) io.out(JSON.stringify({ run: run.id, status: run.status, epochs: run.summary.epochs, steps: run.summary.steps, train: metricsJson(run.summary.train), val: metricsJson(run.summary.val), test: metricsJson(run.summary.test), baselines: baselinesJson(run.summary.baselines), model: store.modelPath(id) }));
      else io.out(`${run.status} after ${run.summary.epochs} epochs (${run.summary.steps} steps). ${run.summary.message}`.trim());
    }));
  return runs;
}

/** "drizzle 4.8, fog 2.667, rain 0.5333": each class with its weight in the loss. */
function classWeightList(run: RunRecord, weights: readonly number[]): string {
  const target = run.preprocessing.target;
  const names = target.kind === 'classes' ? target.classes : [];
  return weights.map((w, i) => `${names[i] ?? `class ${i + 1}`} ${Number(w.toPrecision(4))}`).join(', ');
}
