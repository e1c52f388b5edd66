/**
 * ISO dates (YYYY-MM-DD, optionally followed by a time) as the four numbers a network can use. A time and a
 * zone, when present, are read past: the date is the calendar date as written, so every export agrees on it.
 */

/** The features one date column becomes, in this order; weekday is ISO's, Monday 1 to Sunday 7. */
export const DATE_PARTS = ['year', 'month', 'day', 'weekday'] as const;
export type DatePart = (typeof DATE_PARTS)[number];

/** The same pattern is written into the exported code (main/export), so it stays a plain string. */
export const ISO_DATE_PATTERN = '^(\\d{4})-(\\d{2})-(\\d{2})(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}(?::?\\d{2})?)?)?$';
const ISO_DATE = new RegExp(ISO_DATE_PATTERN);

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The day number of an ISO date cell, or null when the cell is not one (or names a day that does not exist, 2023-02-29). */
export function parseIsoDate(text: string): number | null {
  const first = text.charCodeAt(0);
  if (!(first >= 48 && first <= 57) || text.length < 10) return null;
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const days = daysFromCivil(year, month, day);
  // A day past the month's end lands in the next month: it is not a date.
  return dateParts(days)[2] === day ? days : null;
}

/** Year, month (1–12), day of month (1–31) and ISO weekday (Monday 1 … Sunday 7) of a day number. */
export function dateParts(days: number): [number, number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  // 1970-01-01 was a Thursday (ISO 4).
  const weekday = ((((days + 3) % 7) + 7) % 7) + 1;
  return [year, month, day, weekday];
}

/** A day number written as YYYY-MM-DD. */
export function formatIsoDate(days: number): string {
  const [year, month, day] = dateParts(days);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** What a date column becomes, in words: "4 features: year, month, day, weekday". */
export function dateFeaturesText(): string {
  return `${DATE_PARTS.length} features: ${DATE_PARTS.join(', ')}`;
}
