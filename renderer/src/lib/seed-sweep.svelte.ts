import type { LabClient } from '../../../common/lab-api';
import type { DatasetRoles, ExperimentRef, TrainSettings } from '../../../common/settings';
import { finalMetrics, sweepStats, type SweepOf, type SweepStats } from '../../../common/sweep';
import { mean, sampleSd } from '../../../engine/stats';
import { errorMessage } from './format';

/** How many seeds train at once: the lab's worker processes share the machine with the window. */
export const SWEEP_PARALLEL = 2;
/** How often a seed's record is read while it trains. */
const POLL_MS = 300;
const ENDED = new Set(['finished', 'stopped', 'diverged', 'interrupted']);

export interface SeedResult {
  /** From 1. */
  index: number;
  seed: number;
  run: string;
  status: string;
  metrics: Record<string, number>;
  /** Training loss by epoch. */
  losses: number[];
}

/** The band of a loss curve over the seeds: by epoch, the mean and mean ± sd over the seeds that reached it. */
export interface LossBand {
  epochs: number[];
  mean: number[];
  low: number[];
  high: number[];
}

export function lossBand(results: readonly SeedResult[]): LossBand {
  const band: LossBand = { epochs: [], mean: [], low: [], high: [] };
  const longest = Math.max(0, ...results.map((r) => r.losses.length));
  for (let e = 0; e < longest; e++) {
    const values = results.map((r) => r.losses[e]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (values.length === 0) continue;
    const m = mean(values);
    const sd = values.length > 1 ? sampleSd(values) : 0;
    band.epochs.push(e + 1);
    band.mean.push(m);
    band.low.push(m - sd);
    band.high.push(m + sd);
  }
  return band;
}

/**
 * A seed sweep of the bench's settings from the Train view: each seed a run of the lab's own sessions, a few at
 * a time, then the mean loss curve with its band and every final metric's mean ± sd.
 */
export class SeedSweep {
  sweep = $state.raw<SweepOf | null>(null);
  /** The seeds asked for while a sweep trains, else null. */
  training = $state<number | null>(null);
  results = $state.raw<SeedResult[]>([]);
  error = $state<string | null>(null);
  /** Whether "Stop sweep" was pressed: no further seed starts, and the seeds training are stopped (kept as stopped runs). */
  stopped = $state(false);
  private readonly live = new Set<string>();

  constructor(private readonly lab: LabClient) {}

  get running(): boolean { return this.training !== null; }
  get stats(): SweepStats { return sweepStats(this.results.map((r) => r.metrics)); }
  get band(): LossBand { return lossBand(this.results); }

  private async trainOne(datasetId: string, roles: DatasetRoles, settings: TrainSettings, seeds: number, index: number, ref: ExperimentRef | null): Promise<ExperimentRef> {
    const info = await this.lab.createSweepSession(datasetId, roles, settings, { seeds, index, sweep: ref });
    this.sweep = info.sweep;
    this.live.add(info.run);
    try {
      await (this.stopped ? this.lab.stop(info.run) : this.lab.start(info.run));
      return await this.follow(info.run, index, info.sweep);
    } finally {
      this.live.delete(info.run);
    }
  }

  /** Waits for a seed's run to end and adds it to the results, unless "Stop sweep" cut it short. */
  private async follow(id: string, index: number, sweep: SweepOf): Promise<ExperimentRef> {
    for (;;) {
      const { run, metrics } = await this.lab.getRun(id);
      if (ENDED.has(run.status)) {
        if (this.stopped && run.status === 'stopped') return { id: sweep.id, name: sweep.name };
        const result: SeedResult = { index: index + 1, seed: run.seed, run: run.id, status: run.status, metrics: finalMetrics(run.summary), losses: metrics.map((m) => m.train.loss) };
        this.results = [...this.results, result].sort((a, b) => a.index - b.index);
        return { id: sweep.id, name: sweep.name };
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Trains seeds settings.seed to settings.seed + seeds − 1; the first names the sweep, the others join it. */
  async train(datasetId: string, roles: DatasetRoles, settings: TrainSettings, seeds: number): Promise<void> {
    if (this.running) return;
    this.sweep = null;
    this.results = [];
    this.error = null;
    this.stopped = false;
    this.training = seeds;
    try {
      const ref = await this.trainOne(datasetId, roles, settings, seeds, 0, null);
      let next = this.stopped ? seeds : 1;
      const worker = async () => {
        while (next < seeds && !this.stopped) await this.trainOne(datasetId, roles, settings, seeds, next++, ref);
      };
      await Promise.all(Array.from({ length: Math.min(SWEEP_PARALLEL, seeds - 1) }, worker));
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.training = null;
    }
  }

  /** Stops the sweep: the seeds training now stop where they are, the others are not started. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopped = true;
    try {
      await Promise.all([...this.live].map((run) => this.lab.stop(run)));
    } catch (error) {
      this.error = errorMessage(error);
    }
  }
}
