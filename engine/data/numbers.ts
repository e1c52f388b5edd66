/** A plain decimal or scientific number as people write it in CSV files; nothing else counts. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseNumber(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Orders category labels numerically when they are all numbers ("2" before "10"), else alphabetically. */
export function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => parseNumber(l) !== null);
  return [...labels].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
