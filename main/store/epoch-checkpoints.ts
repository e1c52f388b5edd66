import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { EpochMetrics, TrainerState } from '../../engine/trainer';
import { OPTIMIZERS, type OptimizerName } from '../../engine/optimizers';
import { trainerStateSchema } from '../../common/trainer-state';
import { overJson } from '../../common/worker-protocol';
import { writeFileAtomic } from '../files/atomic';
import { keptEpochs, MAX_EPOCH_CHECKPOINTS } from './checkpoint-thinning';

/**
 * A run's timeline: the weights and optimizer state at the end of some of its epochs, one file each under
 * <run>/checkpoints/, and an index of them with their metrics, so listing the timeline reads no weights.
 */
export const EPOCH_CHECKPOINTS_DIR = 'checkpoints';
const INDEX_FILE = 'index.json';
const VERSION = 1;

const indexSchema = z.object({
  version: z.literal(VERSION),
  /** Epochs that are multiples of it are kept, besides the best and the latest (main/store/checkpoint-thinning.ts). */
  stride: z.number().int().positive(),
  entries: z.array(overJson.epochMetrics),
});
type Index = z.infer<typeof indexSchema>;

const epochCheckpointSchema = z.object({
  version: z.literal(VERSION),
  epoch: z.number().int().positive(),
  step: z.number().int().nonnegative(),
  optimizerName: z.enum(OPTIMIZERS),
  parameters: trainerStateSchema.shape.parameters,
  optimizer: trainerStateSchema.shape.optimizer,
});

/** The state at the end of one epoch: what the timeline shows and what a fork starts from. */
export interface EpochCheckpoint {
  metrics: EpochMetrics;
  optimizerName: OptimizerName;
  parameters: TrainerState['parameters'];
  optimizer: TrainerState['optimizer'];
}

const fileOf = (epoch: number) => `epoch-${String(epoch).padStart(6, '0')}.json`;

export class EpochCheckpoints {
  private readonly dir: string;

  constructor(runDir: string, private readonly run: string) {
    this.dir = join(runDir, EPOCH_CHECKPOINTS_DIR);
  }

  /** The saved epochs, oldest first; a run saved before the timeline existed has none. */
  async list(): Promise<EpochMetrics[]> {
    return (await this.readIndex()).entries;
  }

  /**
   * Saves the given epochs, removes those the thinning no longer keeps, and answers the stride the thinning has
   * reached. Each file is written before the index names it, and the index before a file it no longer names is
   * removed, so the index never names a file that is not there.
   */
  async save(checkpoints: EpochCheckpoint[]): Promise<number> {
    const index = await this.readIndex();
    if (checkpoints.length === 0) return index.stride;
    const saved = new Map(index.entries.map((m) => [m.epoch, m]));
    const byEpoch = new Map(saved);
    for (const { metrics } of checkpoints) byEpoch.set(metrics.epoch, metrics);
    const candidates = [...byEpoch.keys()].sort((a, b) => a - b);
    const best = bestEpoch([...byEpoch.values()]);
    const { stride, kept } = keptEpochs(candidates, index.stride, [candidates.at(-1)!, ...(best === null ? [] : [best])]);
    const keep = new Set(kept);
    for (const checkpoint of checkpoints) {
      const { epoch, step } = checkpoint.metrics;
      if (!keep.has(epoch)) continue;
      const file = z.encode(epochCheckpointSchema, {
        version: VERSION, epoch, step, optimizerName: checkpoint.optimizerName, parameters: checkpoint.parameters, optimizer: checkpoint.optimizer,
      });
      await writeFileAtomic(join(this.dir, fileOf(epoch)), JSON.stringify(file));
    }
    await this.writeIndex({ version: VERSION, stride, entries: kept.map((epoch) => byEpoch.get(epoch)!) });
    for (const epoch of saved.keys()) if (!keep.has(epoch)) await rm(join(this.dir, fileOf(epoch)), { force: true });
    return stride;
  }

  /** Epochs that are multiples of this are worth saving now (besides the best and the latest). */
  async stride(): Promise<number> {
    return (await this.readIndex()).stride;
  }

  /** Forgets the epochs after `epoch`: a resumed run trains them again. */
  async dropAfter(epoch: number): Promise<void> {
    const index = await this.readIndex();
    const dropped = index.entries.filter((m) => m.epoch > epoch);
    if (dropped.length === 0) return;
    await this.writeIndex({ ...index, entries: index.entries.filter((m) => m.epoch <= epoch) });
    for (const m of dropped) await rm(join(this.dir, fileOf(m.epoch)), { force: true });
  }

  async load(epoch: number): Promise<EpochCheckpoint> {
    const metrics = (await this.readIndex()).entries.find((m) => m.epoch === epoch);
    if (!metrics) throw new Error(`Run ${this.run} has no checkpoint at epoch ${epoch}.`);
    let data: unknown;
    try {
      data = JSON.parse(await readFile(join(this.dir, fileOf(epoch)), 'utf8'));
    } catch {
      throw new Error(`Run ${this.run}'s checkpoint at epoch ${epoch} is missing or damaged.`);
    }
    const parsed = epochCheckpointSchema.safeParse(data);
    if (!parsed.success || parsed.data.epoch !== epoch) throw new Error(`Run ${this.run}'s checkpoint at epoch ${epoch} is damaged.`);
    const { optimizerName, parameters, optimizer } = parsed.data;
    return { metrics, optimizerName, parameters, optimizer };
  }

  private async readIndex(): Promise<Index> {
    const empty: Index = { version: VERSION, stride: 1, entries: [] };
    let text: string;
    try {
      text = await readFile(join(this.dir, INDEX_FILE), 'utf8');
    } catch {
      return empty;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new Error(`Run ${this.run}'s checkpoint list is damaged: it is not valid JSON.`);
    }
    const parsed = indexSchema.safeParse(data);
    if (!parsed.success) throw new Error(`Run ${this.run}'s checkpoint list is damaged (${parsed.error.issues[0]!.path.join('.')}).`);
    return parsed.data;
  }

  private async writeIndex(index: Index): Promise<void> {
    await writeFileAtomic(join(this.dir, INDEX_FILE), JSON.stringify(z.encode(indexSchema, index)));
  }
}

/** The epoch of lowest loss (validation when the run has it, else training); the first of equals. */
export function bestEpoch(metrics: readonly EpochMetrics[]): number | null {
  let best: EpochMetrics | null = null;
  const loss = (m: EpochMetrics) => m.val?.loss ?? m.train.loss;
  for (const m of metrics) if (Number.isFinite(loss(m)) && (best === null || loss(m) < loss(best) || (loss(m) === loss(best) && m.epoch < best.epoch))) best = m;
  return best?.epoch ?? null;
}

export { MAX_EPOCH_CHECKPOINTS };
