import { datasetRolesSchema, trainSettingsSchema, type DatasetRoles, type TrainSettings } from '../../../common/settings';

/**
 * What a window had on the bench, by the lab's ids (the lab holds the run and the open dataset) and the settings
 * being edited, so that a reload asks the lab for them again. Kept for the tab (a reload comes back to its own
 * bench) and as the last bench of any window (a new window starts from it); live sessions come first in both.
 */
export interface BenchPlace {
  run: string | null;
  dataset: { id: string; roles: DatasetRoles } | null;
  view: string | null;
  /** The settings in the form, for a bench with no run on it (a run's own settings are the run's). */
  settings: TrainSettings | null;
}

const KEY = 'nnlab.bench';
const NOWHERE: BenchPlace = { run: null, dataset: null, view: null, settings: null };

function read(storage: Storage): BenchPlace | null {
  const value = JSON.parse(storage.getItem(KEY) ?? 'null') as { run?: unknown; dataset?: { id?: unknown; roles?: unknown }; view?: unknown; settings?: unknown } | null;
  if (!value || typeof value !== 'object') return null;
  const roles = datasetRolesSchema.safeParse(value.dataset?.roles);
  const settings = trainSettingsSchema.safeParse(value.settings);
  return {
    run: typeof value.run === 'string' ? value.run : null,
    dataset: typeof value.dataset?.id === 'string' && roles.success ? { id: value.dataset.id, roles: roles.data } : null,
    view: typeof value.view === 'string' ? value.view : null,
    settings: settings.success ? settings.data : null,
  };
}

export function loadPlace(): BenchPlace {
  for (const storage of [() => sessionStorage, () => localStorage]) {
    try {
      const place = read(storage());
      if (place) return place;
    } catch {
      // Storage disabled, or a value no longer readable: the next one, else nowhere.
    }
  }
  return NOWHERE;
}

export function savePlace(place: BenchPlace): void {
  for (const storage of [() => sessionStorage, () => localStorage]) {
    try {
      storage().setItem(KEY, JSON.stringify(place));
    } catch {
      // Storage may be disabled: a reload then starts from the lab's live sessions only.
    }
  }
}
