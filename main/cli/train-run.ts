import type { RunRecord } from '../../common/run-record';
import type { TrainRequest } from '../../common/settings';
import { TrainingSession } from '../lab/training-session';
import { nodeWorkerLauncher } from '../lab/worker-launcher';
import type { RunStore } from '../store/run-store';
import { metricsJson, progressLine } from './format';
import { baselinesJson } from './baselines-format';
import { healthJson } from './health-format';
import type { Io } from './io';
import { trainToEnd } from './run-session';

export type TrainResult = { failed: true; message: string } | { failed: false; run: RunRecord };

/**
 * Trains one run of `request` to its end in a worker of its own, showing progress on a terminal; `json`
 * keeps stdout for the JSON line. A run whose worker fails is reported on stderr.
 */
export async function trainRun(request: TrainRequest, store: RunStore, options: { json: boolean; quiet?: boolean; notesSaid?: Set<string> }, io: Io): Promise<TrainResult> {
  const session = await TrainingSession.create(nodeWorkerLauncher(), store.home, request);
  const started = await store.get(session.run);
  // Runs of one experiment mostly share their notes (rows left out, columns ignored): each is said once.
  for (const warning of started.warnings) {
    if (options.notesSaid?.has(warning)) continue;
    options.notesSaid?.add(warning);
    io.err(`note: ${warning}`);
  }
  if (!options.json && !options.quiet) {
    const { splits } = started.dataset;
    io.out(`Run ${started.id} · ${started.task} · ${splits.train} training, ${splits.val} validation, ${splits.test} test rows · ${started.model.inputs} inputs → ${started.model.layers.map((l) => `${l.units} ${l.activation}`).join(' → ')}`);
  }
  const live = io.stderrIsTTY;
  let lastValLoss: number | null = null;
  session.subscribe((event) => {
    if (event.type === 'progress' && live) {
      const p = event.progress;
      lastValLoss = p.valLoss ?? lastValLoss;
      io.errRaw(`\r${progressLine(p.epoch, p.epochs, p.loss ?? Number.NaN, lastValLoss, p.samplesPerSecond)}\x1b[K`);
    }
  });
  await trainToEnd(session, (s) => s.start());
  if (live) io.errRaw('\n');
  if (session.state === 'failed') {
    io.err(`nnlab: ${session.exitMessage}`);
    return { failed: true, message: session.exitMessage };
  }
  return { failed: false, run: await store.get(session.run) };
}

/** The object `nnlab train --json` prints for a run. */
export function trainJson(run: RunRecord, store: RunStore): Record<string, unknown> {
  const s = run.summary;
  return {
    run: run.id,
    name: run.name,
    status: run.status,
    task: run.task,
    epochs: s.epochs,
    steps: s.steps,
    train: metricsJson(s.train),
    val: metricsJson(s.val),
    test: metricsJson(s.test),
    samples_per_s: s.samplesPerSecond,
    seconds: s.seconds,
    peak_memory_mb: s.peakMemoryMb ?? null,
    kernels: run.training.kernels ?? 'wasm',
    model: store.modelPath(run.id),
    home: store.home,
    message: s.message,
    warnings: run.warnings,
    baselines: baselinesJson(s.baselines),
    refit: s.refit ?? null,
    health: healthJson(s.health),
  };
}

/** 0 for a finished run, 130 for one stopped by Ctrl-C, 1 otherwise (diverged). */
export function exitCodeOf(run: RunRecord): number {
  return run.status === 'finished' ? 0 : run.status === 'stopped' ? 130 : 1;
}
