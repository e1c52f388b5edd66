import { inputNames } from '../../engine/data/preprocessing';
import { HealthProbe, type TrainingHealth } from '../../engine/health';
import type { ActiveRun } from './run-setup';

/** At most ten measures a second: more would draw no more than the eye follows. */
const MIN_GAP_MS = 100;
/**
 * A measure waits this many times as long as the last one took, so that measuring costs at most about 2 % of the
 * time at full speed, however large the network (a small network runs many epochs a second).
 */
const COST_FACTOR = 50;

/** A run's training health, measured at the end of an epoch, no more often than its cost allows. */
export class RunHealth {
  private readonly probe: HealthProbe;
  private nextMeasure = -Infinity;
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

  /** The health now if an epoch has ended since the last measure and it is time (or `force` says so); else null. */
  measure(force = false): TrainingHealth | null {
    const { trainer } = this.run;
    const epoch = trainer.history.at(-1)?.epoch ?? 0;
    if (epoch === this.measuredEpoch && this.latest) return null;
    const started = performance.now();
    if (!force && started < this.nextMeasure) return null;
    this.measuredEpoch = epoch;
    this.latest = this.probe.measure(trainer.network, epoch, trainer.history.map((e) => e.train.loss));
    const ended = performance.now();
    this.nextMeasure = ended + Math.max(MIN_GAP_MS, COST_FACTOR * (ended - started));
    return this.latest;
  }
}
