import { labelsOf, namesOf } from './registry';

export interface ScheduleEntry {
  /** What the schedule is called where people see it. */
  readonly label: string;
}

const registry = {
  constant: { label: 'constant' },
  step: { label: 'step decay' },
  cosine: { label: 'cosine' },
  plateau: { label: 'reduce on plateau' },
} as const satisfies Record<string, ScheduleEntry>;

export type ScheduleName = keyof typeof registry;

export const SCHEDULE_REGISTRY: Readonly<Record<ScheduleName, ScheduleEntry>> = registry;
export const SCHEDULES = namesOf(SCHEDULE_REGISTRY);
export const SCHEDULE_LABELS = labelsOf(SCHEDULE_REGISTRY);

export interface ScheduleSettings {
  name: ScheduleName;
  /** step: multiply the rate by `gamma` every `stepEpochs` epochs. */
  stepEpochs: number;
  gamma: number;
  /** cosine: the rate at the last epoch, as a fraction of the initial rate. */
  minFactor: number;
  /**
   * plateau: multiply the rate by `factor` once the monitored loss (validation, else training) has not improved
   * for `patience` epochs, and again after each further `patience` epochs without improvement; never below
   * `minFactor` times the base rate. Absent in runs recorded before the schedule existed.
   */
  patience?: number;
  factor?: number;
}

export const DEFAULT_SCHEDULE: ScheduleSettings = { name: 'constant', stepEpochs: 30, gamma: 0.5, minFactor: 0 };

/** The plateau schedule's settings when a run does not give them: halve the rate after 10 epochs without improvement, down to a thousandth. */
export const DEFAULT_PLATEAU = { patience: 10, factor: 0.5, minFactor: 1e-3 } as const;

/** The schedule a run of this name trains with: a plateau schedule gets its own patience, factor and floor. */
export function scheduleSettings(name: ScheduleName, plateauPatience: number = DEFAULT_PLATEAU.patience): ScheduleSettings {
  return name === 'plateau' ? { ...DEFAULT_SCHEDULE, name, ...DEFAULT_PLATEAU, patience: plateauPatience } : { ...DEFAULT_SCHEDULE, name };
}

/** The learning rate for a 0-based epoch of a run that lasts `epochs` epochs. */
export function learningRateAt(base: number, schedule: ScheduleSettings, epoch: number, epochs: number): number {
  switch (schedule.name) {
    case 'constant':
    // The trainer lowers a plateau schedule's rate from what the losses do, which no epoch number tells.
    case 'plateau':
      return base;
    case 'step':
      return base * Math.pow(schedule.gamma, Math.floor(epoch / Math.max(1, schedule.stepEpochs)));
    case 'cosine': {
      const progress = epochs <= 1 ? 0 : Math.min(1, epoch / (epochs - 1));
      const min = base * schedule.minFactor;
      return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * progress));
    }
  }
}

export function isScheduleName(value: string): value is ScheduleName {
  return (SCHEDULES as readonly string[]).includes(value);
}
