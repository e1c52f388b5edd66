import { parseNumber, sortLabels } from './numbers';
import type { Table } from './table';

export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'constant' | 'identifier';

export interface NumericStats {
  min: number;
  max: number;
  mean: number;
  std: number;
}

export interface ColumnSummary {
  name: string;
  type: ColumnType;
  missing: number;
  distinct: number;
  /** Category labels with their counts, most frequent first (non-numeric columns and small integer codes). */
  categories?: { label: string; count: number }[];
  stats?: NumericStats;
  /** Whether every present value is a whole number (class codes such as 0/1/2). */
  integers?: boolean;
}

/** Distinct values beyond this many make a string column an identifier rather than a category. */
const MAX_CATEGORIES = 100;

export function isMissing(text: string, markers: ReadonlySet<string>): boolean {
  return markers.has(text);
}

/** Types one column from its cells: numbers, categories, booleans, a constant or an identifier. */
export function summarizeColumn(table: Table, column: number, markers: ReadonlySet<string>): ColumnSummary {
  const cells = table.cells[column]!;
  const counts = new Map<string, number>();
  let missing = 0;
  let numeric = true;
  let integers = true;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const cell of cells) {
    if (isMissing(cell, markers)) {
      missing++;
      continue;
    }
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
    if (!numeric) continue;
    const value = parseNumber(cell);
    if (value === null) {
      numeric = false;
      continue;
    }
    if (!Number.isInteger(value)) integers = false;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const present = cells.length - missing;
  const name = table.columns[column]!;
  const distinct = counts.size;
  const categories = () =>
    sortLabels([...counts.keys()]).map((label) => ({ label, count: counts.get(label)! })).sort((a, b) => b.count - a.count);
  if (distinct <= 1) return { name, type: 'constant', missing, distinct, categories: categories() };
  if (numeric && present > 0) {
    const mean = sum / present;
    let squares = 0;
    for (const cell of cells) {
      if (isMissing(cell, markers)) continue;
      const d = parseNumber(cell)! - mean;
      squares += d * d;
    }
    const stats = { min, max, mean, std: Math.sqrt(squares / present) };
    const summary: ColumnSummary = { name, type: 'numeric', missing, distinct, stats, integers };
    if (integers && distinct <= 20) summary.categories = categories();
    return summary;
  }
  const lowered = new Set([...counts.keys()].map((k) => k.toLowerCase()));
  const booleanPairs = [['true', 'false'], ['yes', 'no'], ['y', 'n'], ['t', 'f']];
  if (distinct === 2 && booleanPairs.some(([a, b]) => lowered.has(a!) && lowered.has(b!))) {
    return { name, type: 'boolean', missing, distinct, categories: categories() };
  }
  if (distinct > MAX_CATEGORIES || (distinct === present && present > 20)) return { name, type: 'identifier', missing, distinct };
  return { name, type: 'categorical', missing, distinct, categories: categories() };
}

export function summarizeTable(table: Table, markers: ReadonlySet<string>): ColumnSummary[] {
  return table.columns.map((_, c) => summarizeColumn(table, c, markers));
}
