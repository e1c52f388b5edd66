/** The most epoch checkpoints a run keeps on disk, the best and the latest included. */
export const MAX_EPOCH_CHECKPOINTS = 50;

/**
 * Which saved epochs to keep: every multiple of a stride, and the protected ones (the best and the latest). The
 * stride starts at 1 and doubles whenever that would keep more than the limit, so a long run keeps epochs spread
 * evenly over its whole length, and each epoch once dropped stays dropped (a multiple of 2s is one of s).
 */
export function keptEpochs(
  epochs: readonly number[],
  stride: number,
  protectedEpochs: readonly number[],
  limit = MAX_EPOCH_CHECKPOINTS,
): { stride: number; kept: number[] } {
  const guarded = new Set(protectedEpochs.filter((e) => epochs.includes(e)));
  const keep = (s: number) => epochs.filter((e) => e % s === 0 || guarded.has(e));
  let kept = keep(stride);
  while (kept.length > limit) {
    stride *= 2;
    kept = keep(stride);
  }
  return { stride, kept: [...kept].sort((a, b) => a - b) };
}
