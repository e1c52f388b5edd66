/** NaN and ±∞ have no JSON form: a number that is not finite is recorded as null. */
export function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

/** The same for every number inside a value, such as a run's summary metrics. */
export function withFiniteNumbers<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? finiteOrNull(v) : v))) as T;
}
