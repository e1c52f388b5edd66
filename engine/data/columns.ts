import type { ColumnData } from './column-builder';
import { formatIsoDate } from './dates';
import { sortLabels } from './numbers';

export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'date' | 'constant' | 'identifier' | 'text';

export interface NumericStats {
  min: number;
  max: number;
  mean: number;
  std: number;
}

export interface Histogram {
  /** bins + 1 edges from min to max. */
  edges: number[];
  counts: number[];
}

export interface ColumnSummary {
  name: string;
  type: ColumnType;
  missing: number;
  distinct: number;
  /** Category labels with their counts, most frequent first (non-numeric columns and small integer codes). */
  categories?: { label: string; count: number }[];
  stats?: NumericStats;
  histogram?: Histogram;
  /** Whether every present value is a whole number (class codes such as 0/1/2). */
  integers?: boolean;
  /** In a numeric column: cells that are present but not numbers, with the first few (row index, text). */
  invalid?: { count: number; examples: { row: number; value: string }[] };
  /** In a date column: its first and last dates, YYYY-MM-DD. */
  dateRange?: { first: string; last: string };
}

/** Distinct values beyond this many make a text column an identifier (or free text) rather than categories. */
const MAX_CATEGORIES = 100;
/** A mostly numeric column stays numeric when at most this share of its cells are not numbers. */
const MAX_INVALID_SHARE = 0.05;
/** Free text, not identifiers: values this long on average. */
const TEXT_LENGTH = 24;
const HISTOGRAM_BINS = 20;

function categoryCounts(column: ColumnData): { label: string; count: number }[] {
  const counts = new Array<number>(column.dictionary!.length + 1).fill(0);
  for (const code of column.codes!) counts[code]!++;
  const labels = sortLabels(column.dictionary!);
  const codeOf = new Map(column.dictionary!.map((label, i) => [label, i + 1]));
  return labels.map((label) => ({ label, count: counts[codeOf.get(label)!]! })).sort((a, b) => b.count - a.count);
}

function numericStats(numbers: Float64Array): { stats: NumericStats; integers: boolean; histogram: Histogram } {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (const v of numbers) {
    if (Number.isNaN(v)) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  const mean = sum / count;
  let squares = 0;
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const width = (max - min) / HISTOGRAM_BINS;
  for (const v of numbers) {
    if (Number.isNaN(v)) continue;
    squares += (v - mean) * (v - mean);
    counts[width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width)) : 0]!++;
  }
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (i === HISTOGRAM_BINS ? max : min + i * width));
  return { stats: { min, max, mean, std: Math.sqrt(squares / count) }, integers, histogram: { edges, counts } };
}

/** Types one column: numbers, categories, booleans, ISO dates, a constant, an identifier or free text. */
export function describeColumn(column: ColumnData, rows: number): ColumnSummary {
  const { name, missing, distinct } = column;
  const present = rows - missing;
  const hasDictionary = column.codes !== null && column.dictionary !== null;
  if (distinct <= 1) return { name, type: 'constant', missing, distinct, ...(hasDictionary ? { categories: categoryCounts(column) } : {}) };
  const numericCells = present - column.nonNumeric;
  // A few stray texts among many numbers are typos to report, not a reason to call the column categories.
  const mostlyNumeric = numericCells >= 2 && column.nonNumeric <= MAX_INVALID_SHARE * present;
  if (column.nonNumeric === 0 || mostlyNumeric) {
    const { stats, integers, histogram } = numericStats(column.numbers);
    const summary: ColumnSummary = { name, type: 'numeric', missing, distinct, stats, integers, histogram };
    if (integers && distinct <= 20 && hasDictionary) summary.categories = categoryCounts(column);
    if (column.nonNumeric > 0) summary.invalid = { count: column.nonNumeric, examples: column.nonNumericExamples };
    if (stats.min === stats.max) return { name, type: 'constant', missing, distinct: 1, ...(summary.invalid ? { invalid: summary.invalid } : {}) };
    return summary;
  }
  if (column.dates && column.nonDate === 0) {
    const { stats, histogram } = numericStats(column.dates);
    return { name, type: 'date', missing, distinct, dateRange: { first: formatIsoDate(stats.min), last: formatIsoDate(stats.max) }, histogram };
  }
  if (!hasDictionary || distinct > MAX_CATEGORIES || (distinct === present && present > 20)) {
    return { name, type: column.textLength / Math.max(1, present) >= TEXT_LENGTH ? 'text' : 'identifier', missing, distinct };
  }
  const categories = categoryCounts(column);
  const lowered = new Set(categories.map((c) => c.label.toLowerCase()));
  const booleanPairs = [['true', 'false'], ['yes', 'no'], ['y', 'n'], ['t', 'f']];
  if (distinct === 2 && booleanPairs.some(([a, b]) => lowered.has(a!) && lowered.has(b!))) {
    return { name, type: 'boolean', missing, distinct, categories };
  }
  return { name, type: 'categorical', missing, distinct, categories };
}
