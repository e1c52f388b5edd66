import { networkStats, type UnitStats } from '../../engine/activation-stats';
import type { Trainer } from '../../engine/trainer';

/**
 * Each layer's unit statistics on the trainer's last mini-batch, through the weights as they are now, so they
 * agree with the weights and biases of the same snapshot; null before this trainer took a mini-batch.
 */
export function lastBatchStats(trainer: Trainer): UnitStats[] | null {
  if (trainer.lastBatchRows === 0) return null;
  return networkStats(trainer.network, trainer.batchInputs, trainer.lastBatchRows);
}
