import { advise } from '../advice';
import type { ColumnData } from './column-builder';
import { findColumn, lineOf, type ColumnarTable } from './columnar';
import type { ColumnSummary } from './columns';
import { parseNumber } from './numbers';

/** What a person may make of a column: numbers, categories (one-hot), date features, or nothing. */
export const COLUMN_TYPE_CHOICES = ['number', 'category', 'date', 'ignore'] as const;
export type ColumnTypeChoice = (typeof COLUMN_TYPE_CHOICES)[number];
/** Per column name: the type it is encoded as instead of the detected one. */
export type ColumnTypes = Record<string, ColumnTypeChoice>;

/** How a feature column is encoded. */
export type FeatureKind = 'numeric' | 'categorical' | 'date';

export const IGNORED_BY_TYPE = 'its type is set to ignored';

/** A constant column of numbers (kept as the bias input of a network without biases). */
export function isNumericConstant(summary: ColumnSummary): boolean {
  const label = summary.categories?.[0]?.label;
  return summary.stats !== undefined || (label !== undefined && parseNumber(label) !== null);
}

/** The type a column is encoded as when no one says otherwise. */
export function detectedType(summary: ColumnSummary): Exclude<ColumnTypeChoice, 'ignore'> {
  if (summary.type === 'date') return 'date';
  if (summary.type === 'numeric' || (summary.type === 'constant' && isNumericConstant(summary))) return 'number';
  return 'category';
}

export function featureKind(summary: ColumnSummary, types: ColumnTypes): FeatureKind {
  const type = types[summary.name] ?? detectedType(summary);
  return type === 'number' ? 'numeric' : type === 'date' ? 'date' : 'categorical';
}

/**
 * Checks each override against the column's cells and returns them keyed by the columns' own names; a type
 * the values do not allow is refused, naming the first cell that does not fit and its line.
 */
export function resolveColumnTypes(table: ColumnarTable, summaries: readonly ColumnSummary[], types: ColumnTypes, target: string): ColumnTypes {
  const resolved: ColumnTypes = {};
  for (const [name, type] of Object.entries(types)) {
    const column = findColumn(table, name);
    if (!column) throw new Error(`${table.source} has no column "${name}" to set the type of. Its columns are: ${table.columns.map((c) => `"${c.name}"`).join(', ')}.`);
    if (column.name === target) {
      throw new Error(`"${target}" is the column to predict, so its type cannot be set: ${advise('taskEither')} instead.`);
    }
    const problem = typeProblem(table, column, summaries[table.columns.indexOf(column)]!, type);
    if (problem) throw new Error(`Column "${column.name}" cannot be read as ${problem}.`);
    resolved[column.name] = type;
  }
  return resolved;
}

function typeProblem(table: ColumnarTable, column: ColumnData, summary: ColumnSummary, type: ColumnTypeChoice): string {
  // A column read as numbers by itself keeps its few stray texts as missing values (said among the warnings).
  if (type === 'number' && column.nonNumeric > 0 && detectedType(summary) !== 'number') {
    const first = column.nonNumericExamples[0]!;
    return `numbers: "${first.value}" on ${lineOf(table, first.row)} is not a number. Correct that cell, ${advise('missingMarker')}, or keep the column as categories`;
  }
  if (type === 'date' && (!column.dates || column.nonDate > 0)) {
    const first = column.firstNonDate;
    const where = first ? `"${first.value}" on ${lineOf(table, first.row)} is not` : 'it holds no';
    return `dates: ${where} an ISO date (YYYY-MM-DD, optionally with a time). Correct that cell, or choose another type for the column`;
  }
  if (type === 'category' && !column.dictionary) {
    return `categories: it has more than ${column.distinct - 1} distinct values, too many to encode one input each. Ignore it, or read it as numbers`;
  }
  return '';
}
