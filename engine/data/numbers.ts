export const DECIMAL_MARKS = ['.', ','] as const;
export type DecimalMark = (typeof DECIMAL_MARKS)[number];

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * The number a cell holds, or null when it holds anything else: plain decimals and scientific notation
 * only, so "0x10", "Infinity", "1_000" and "" are not numbers. Number() does the conversion; the checks
 * around it are cheap character tests, because this runs for every cell of a file.
 */
export function parseNumber(text: string, decimal: DecimalMark = '.'): number | null {
  const length = text.length;
  if (length === 0) return null;
  const first = text.charCodeAt(0);
  // + - . or a digit; Number() would also accept leading spaces, "Infinity" and "0x…".
  if (!(isDigit(first) || first === 43 || first === 45 || first === 46 || (decimal === ',' && first === 44))) return null;
  if (length > 1 && first === 48) {
    const second = text.charCodeAt(1) | 0x20;
    if (second === 120 || second === 111 || second === 98) return null; // 0x 0o 0b
  }
  const last = text.charCodeAt(length - 1);
  if (!(isDigit(last) || last === 46 || (decimal === ',' && last === 44))) return null;
  if (decimal === ',') {
    if (text.includes('.')) return null;
    text = text.replace(',', '.');
  } else if (text.includes(',')) {
    return null;
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Orders category labels numerically when they are all numbers ("2" before "10"), else alphabetically. */
export function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => parseNumber(l) !== null);
  return [...labels].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
