import { lowerLearningRate, type Trainer, type TrainerState } from '../../engine/trainer';
import type { RunEvent } from '../../common/run-events';

/**
 * The trainer's whole state (weights, optimiser moments, shuffle order, schedule) at the end of the last epoch
 * that ended well, so that a run that diverges goes back there, rather than ending, and can continue at a lower
 * learning rate. The divergence guard vouches for an epoch before the trainer reports its end, so every epoch
 * end it reports is a good one.
 */
export class LastGoodState {
  private state: TrainerState | null = null;

  constructor(trainer: Trainer) {
    const state = trainer.exportState();
    // A run reopened from a checkpoint taken within an epoch has no epoch end to go back to until its next one.
    if (state.cursor === 0 && state.epoch > 0) this.state = state;
  }

  get epoch(): number | null {
    return this.state?.epoch ?? null;
  }

  /** Called as an epoch ends well. */
  keep(trainer: Trainer): void {
    this.state = trainer.exportState();
  }

  /**
   * Takes a diverged trainer back to the last good epoch's end and says what happened, or returns null when there is
   * none (a run that diverges in its first epoch ends as diverged with its initial weights, as before).
   */
  rollBack(trainer: Trainer): RunEvent | null {
    const state = this.state;
    if (!state || trainer.status !== 'diverged') return null;
    const event: RunEvent = {
      kind: 'rollback',
      step: trainer.steps,
      epoch: state.epoch,
      toStep: state.steps,
      message: trainer.message,
      suggestedLearningRate: lowerLearningRate(trainer.config.learningRate),
    };
    const rate = trainer.config.learningRate;
    try {
      // A copy: importState rebuilds the trainer's own history from the list it is given.
      trainer.importState(state, trainer.history.slice());
    } catch {
      // The history was thinned since that epoch: the run ends diverged instead, with the last good weights.
      return null;
    }
    // The learning rate stays the one the person set (the form shows it) until they choose another.
    if (trainer.config.learningRate !== rate) trainer.setLearningRate(rate);
    return event;
  }
}
