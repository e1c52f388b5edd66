import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { referenceKernels } from '../../engine/kernels/reference';
import type { Kernels } from '../../engine/kernels/types';
import { DEFAULT_OPTIMIZER } from '../../engine/optimizers';
import { DEFAULT_SCHEDULE } from '../../engine/schedules';
import { Trainer } from '../../engine/trainer';
import { trainingNodeFlags } from '../node-runtime';
import { pythonWith } from '../python';
import { flopsPerSample, workloadData, workloadSpec, WORKLOADS, type Workload } from './workloads';

export interface TrainMeasurement {
  peer: string;
  workload: string;
  threads: number;
  samples_per_s: number;
  ms_per_step: number;
  gflops: number;
  /** What exactly ran: kernels, library version, BLAS. */
  note?: string;
  /** Python peers: the BLAS loaded ("OpenBLAS 0.3.21") and the kernel architecture it runs ("SkylakeX"). */
  blas?: string;
  arch?: string;
}

/** A peer that could not run here, and why. */
export interface Skipped {
  peer: string;
  workload: string;
  threads?: number;
  skipped: string;
}

/** Steady-state training speed of nnlab on one workload: warm up, then time whole steps for about `seconds`. */
function measureNnlab(w: Workload, kernels: Kernels | undefined, seconds = 1.5, label = 'nnlab', threads = 1): TrainMeasurement {
  // The engine trains on one thread until the Trainer takes a `threads` option; the line says what really ran.
  const ranThreads = Math.min(threads, 1);
  const data = workloadData(w);
  const trainer = new Trainer(workloadSpec(w), { train: data, metric: { kind: 'classification' } }, {
    // Never reached: the timed steps must not run into the end of training.
    epochs: 1_000_000_000,
    batchSize: w.batch,
    learningRate: w.learningRate,
    optimizer: { ...DEFAULT_OPTIMIZER, name: 'sgd' },
    schedule: { ...DEFAULT_SCHEDULE, name: 'constant' },
    shuffle: true,
    earlyStopPatience: null,
    seed: 1,
  }, kernels ? { kernels } : {});
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) trainer.step();
  let steps = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 16; i++) trainer.step();
    steps += 16;
  }
  const elapsed = (performance.now() - started) / 1000;
  const samplesPerSecond = (steps * w.batch) / elapsed;
  return {
    peer: label,
    workload: w.id,
    threads: ranThreads,
    samples_per_s: samplesPerSecond,
    ms_per_step: (elapsed * 1000) / steps,
    gflops: (samplesPerSecond * flopsPerSample(w)) / 1e9,
    note: `kernels ${trainer.network.kernels.name}`,
  };
}

/**
 * The peers `nnlab bench` trains side by side. nnlab: the trainer's default kernels (WebAssembly SIMD where a
 * network is large enough to gain); nnlab-js: the JavaScript reference kernels, forced.
 */
export const TRAIN_PEERS = ['nnlab', 'nnlab-js', 'tfjs-cpu', 'tfjs-wasm', 'numpy', 'pytorch'] as const;
export type TrainPeer = (typeof TRAIN_PEERS)[number];

/** Runs in the child process that `measureTrainPeer` starts for an nnlab peer. */
export function measureNnlabInThisProcess(peer: 'nnlab' | 'nnlab-js', workload: string, seconds: number, threads = 1): TrainMeasurement {
  const w = WORKLOADS.find((candidate) => candidate.id === workload);
  if (!w) throw new Error(`Unknown workload ${workload}.`);
  return measureNnlab(w, peer === 'nnlab-js' ? referenceKernels : undefined, seconds, peer, threads);
}

const benchDir = fileURLToPath(new URL('../../bench/', import.meta.url));

/** One measurement of one peer on one workload, each in a fresh process so no peer warms or slows another. */
export function measureTrainPeer(cli: string, peer: TrainPeer, workload: string, seconds: number, threads = 1): TrainMeasurement | Skipped {
  const common = ['--workload', workload, '--seconds', String(seconds)];
  let command: string;
  let args: string[];
  switch (peer) {
    case 'nnlab':
    case 'nnlab-js':
      command = process.execPath;
      // The bench's --threads flag is not there yet, so the nnlab child is measured at its one thread.
      args = [...trainingNodeFlags(), cli, 'bench', '--child', `train-${peer}`, ...common];
      break;
    case 'tfjs-cpu':
    case 'tfjs-wasm':
      command = process.execPath;
      args = [`${benchDir}tfjs_peer.mjs`, '--backend', peer.slice(5), ...common];
      break;
    case 'numpy':
    case 'pytorch': {
      const python = pythonWith(peer === 'numpy' ? 'numpy' : 'torch');
      if (python === null) return { peer, workload, skipped: `no python3 on PATH has ${peer === 'numpy' ? 'NumPy' : 'PyTorch'}` };
      command = python;
      args = [`${benchDir}${peer === 'numpy' ? 'numpy' : 'torch'}_peer.py`, ...common, '--threads', String(threads)];
      break;
    }
  }
  // The thread variables reach the child before it loads its BLAS (the Python peers set them again themselves).
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const child = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 1 << 20, timeout: (seconds + 120) * 1000 });
  if (child.error) return { peer, workload, skipped: `${command} could not start (${child.error.message})` };
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) {
    const reason = child.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${child.status}`;
    return { peer, workload, skipped: reason.slice(0, 200) };
  }
  return JSON.parse(last) as TrainMeasurement | Skipped;
}

export interface TrainSummary extends TrainMeasurement {
  runs: number;
  /** Slowest and fastest run, samples/s. */
  min_samples_per_s: number;
  max_samples_per_s: number;
  /** (fastest − slowest) / median, in percent. */
  spread_pct: number;
}

/** The median run (by samples/s) with the spread of all runs. */
export function summarize(runs: TrainMeasurement[]): TrainSummary {
  const sorted = [...runs].sort((a, b) => a.samples_per_s - b.samples_per_s);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const min = sorted[0]!.samples_per_s;
  const max = sorted[sorted.length - 1]!.samples_per_s;
  return {
    ...median,
    runs: runs.length,
    min_samples_per_s: min,
    max_samples_per_s: max,
    spread_pct: (100 * (max - min)) / median.samples_per_s,
  };
}

/** Which thread counts a peer is measured at: tfjs runs as it comes (one thread); the others at each count asked. */
export function threadCountsOf(peer: TrainPeer, asked: readonly number[]): number[] {
  return peer.startsWith('tfjs') ? [1] : [...asked];
}
