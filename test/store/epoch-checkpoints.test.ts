import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../engine';
import { keptEpochs, MAX_EPOCH_CHECKPOINTS } from '../../main/store/checkpoint-thinning';
import { EPOCH_CHECKPOINTS_DIR, EpochCheckpoints, type EpochCheckpoint } from '../../main/store/epoch-checkpoints';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('keptEpochs', () => {
  it('keeps every epoch up to the limit', () => {
    expect(keptEpochs(range(50), 1, [50])).toEqual({ stride: 1, kept: range(50) });
  });

  it('thins a long run to epochs spread evenly over it, with the best and the latest', () => {
    const { stride, kept } = keptEpochs(range(1000), 1, [1000, 333]);
    expect(stride).toBe(32);
    expect(kept.length).toBeLessThanOrEqual(MAX_EPOCH_CHECKPOINTS);
    expect(kept).toContain(1000);
    expect(kept).toContain(333);
    expect(kept.filter((e) => e !== 333 && e !== 1000)).toEqual(range(31).map((i) => i * 32));
  });

  it('never takes back an epoch it dropped: a larger stride keeps a subset', () => {
    const first = keptEpochs(range(120), 1, [120]);
    const later = keptEpochs([...first.kept, ...range(200).slice(120)], first.stride, [200]);
    for (const epoch of later.kept) expect(first.kept.includes(epoch) || epoch > 120).toBe(true);
  });
});

describe('EpochCheckpoints', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'nnlab-epochs-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  /** Epoch e's weights are e, e+0.5, e+0.25; its validation loss is lowest at epoch 37. */
  const checkpoint = (epoch: number): EpochCheckpoint => {
    const metrics: EpochMetrics = { epoch, step: epoch * 3, learningRate: 0.1, train: { loss: 1 / epoch }, val: { loss: Math.abs(epoch - 37) + 0.5 } };
    return {
      metrics, optimizerName: 'adam',
      parameters: Float32Array.from([epoch, epoch + 0.5, epoch + 0.25]),
      optimizer: { t: epoch * 3, first: [Float32Array.from([epoch / 10])], second: [Float32Array.from([epoch / 100])] },
    };
  };

  it('keeps at most 50 epochs on disk over a long run, the best and the latest among them, each file read back exactly', async () => {
    const store = new EpochCheckpoints(dir, 'r1');
    // Saved as training does: the epochs the stride asks for, and the last at the run's end.
    let stride = 1;
    for (let epoch = 1; epoch <= 300; epoch++) {
      if (epoch % stride === 0 || epoch === 37 || epoch === 300) stride = await store.save([checkpoint(epoch)]);
    }
    const listed = await store.list();
    expect(listed.length).toBeLessThanOrEqual(MAX_EPOCH_CHECKPOINTS);
    expect(listed.length).toBeGreaterThan(MAX_EPOCH_CHECKPOINTS / 2);
    const epochs = listed.map((m) => m.epoch);
    expect(epochs).toContain(300);
    expect(epochs).toContain(37);
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
    // Spread over the whole run, not crowded at its start.
    expect(epochs[0]!).toBeLessThan(20);
    expect(epochs.filter((e) => e > 150).length).toBeGreaterThan(10);
    const files = (await readdir(join(dir, EPOCH_CHECKPOINTS_DIR))).filter((f) => f.startsWith('epoch-'));
    expect(files.length).toBe(listed.length);
    const loaded = await store.load(300);
    expect(Array.from(loaded.parameters)).toEqual([300, 300.5, 300.25]);
    expect(loaded.optimizer.t).toBe(900);
    expect(Array.from(loaded.optimizer.first[0]!)).toEqual([Math.fround(30)]);
    expect(loaded.metrics).toEqual(checkpoint(300).metrics);
  });

  it('forgets the epochs after a resumed run\'s checkpoint, files too', async () => {
    const store = new EpochCheckpoints(dir, 'r1');
    await store.save(range(10).map(checkpoint));
    await store.dropAfter(6);
    expect((await store.list()).map((m) => m.epoch)).toEqual(range(6));
    expect((await readdir(join(dir, EPOCH_CHECKPOINTS_DIR))).filter((f) => f.startsWith('epoch-')).length).toBe(6);
  });

  it('says plainly when an epoch has no checkpoint', async () => {
    const store = new EpochCheckpoints(dir, 'r1');
    await store.save([checkpoint(2)]);
    await expect(store.load(3)).rejects.toThrow('Run r1 has no checkpoint at epoch 3.');
    expect(await new EpochCheckpoints(join(dir, 'none'), 'r2').list()).toEqual([]);
  });
});
