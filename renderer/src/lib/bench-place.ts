import { datasetRolesSchema, type DatasetRoles } from '../../../common/settings';

/**
 * What this tab had on the bench, by the lab's ids alone (the lab holds the run and the open dataset), so that
 * a reload asks the lab for them again. A second window starts from the lab's live sessions instead.
 */
export interface BenchPlace {
  run: string | null;
  dataset: { id: string; roles: DatasetRoles } | null;
  view: string | null;
}

const KEY = 'nnlab.bench';
const NOWHERE: BenchPlace = { run: null, dataset: null, view: null };

export function loadPlace(): BenchPlace {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as { run?: unknown; dataset?: { id?: unknown; roles?: unknown }; view?: unknown } | null;
    if (!value || typeof value !== 'object') return NOWHERE;
    const roles = datasetRolesSchema.safeParse(value.dataset?.roles);
    return {
      run: typeof value.run === 'string' ? value.run : null,
      dataset: typeof value.dataset?.id === 'string' && roles.success ? { id: value.dataset.id, roles: roles.data } : null,
      view: typeof value.view === 'string' ? value.view : null,
    };
  } catch {
    return NOWHERE;
  }
}

export function savePlace(place: BenchPlace): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(place));
  } catch {
    // Storage may be disabled: a reload then starts from the lab's live sessions only.
  }
}
