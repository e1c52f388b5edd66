import { labelsOf, namesOf } from './registry';

export interface ScheduleEntry {
  /** What the schedule is called where people see it. */
  readonly label: string;
}

const registry = {
  constant: { label: 'constant' },
  step: { label: 'step decay' },
  cosine: { label: 'cosine' },
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
}

export const DEFAULT_SCHEDULE: ScheduleSettings = { name: 'constant', stepEpochs: 30, gamma: 0.5, minFactor: 0 };

/** The learning rate for a 0-based epoch of a run that lasts `epochs` epochs. */
export function learningRateAt(base: number, schedule: ScheduleSettings, epoch: number, epochs: number): number {
  switch (schedule.name) {
    case 'constant':
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
