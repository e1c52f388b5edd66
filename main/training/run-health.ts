import { inputNames } from '../../engine/data/preprocessing';
import { HealthProbe, type TrainingHealth } from '../../engine/health';
import type { ActiveRun } from './run-setup';

/**
 * Training time between two measures of health. A small network runs many epochs a second; measuring at every
 * one would cost as much as the training itself, so the health is measured at most this often (and at the end).
 */
const MEASURE_EVERY_MS = 1000;

/** A run's training health, measured at the end of an epoch at most once every MEASURE_EVERY_MS. */
export class RunHealth {
  private readonly probe: HealthProbe;
  private lastMeasured = -Infinity;
  private measuredEpoch = -1;
  latest: TrainingHealth | null = null;

  constructor(private readonly run: ActiveRun) {
    const { data, trainer, record } = run;
    const target = data.preprocessing.target;
    this.probe = new HealthProbe(trainer.network, data.train, {
      inputsScaled: record.request.settings.standardize,
      classWeighted: trainer.config.classWeights !== undefined,
      classification: target.kind === 'classes',
      inputNames: inputNames(data.preprocessing),
      ...(target.kind === 'classes' ? { classes: target.classes } : {}),
    });
  }

  /** The health now if an epoch has ended since the last measure and it is time (or `now` says so); else null. */
  measure(force = false): TrainingHealth | null {
    const { trainer } = this.run;
    const epoch = trainer.history.at(-1)?.epoch ?? 0;
    if (epoch === this.measuredEpoch && this.latest) return null;
    if (!force && performance.now() - this.lastMeasured < MEASURE_EVERY_MS) return null;
    this.lastMeasured = performance.now();
    this.measuredEpoch = epoch;
    this.latest = this.probe.measure(trainer.network, epoch, trainer.history.map((e) => e.train.loss));
    return this.latest;
  }
}
