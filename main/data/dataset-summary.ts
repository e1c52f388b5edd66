import { assignRoles, keptConstantNote, keptConstants, type ColumnRole } from '../../engine/data/dataset';
import { detectedType, IGNORED_BY_TYPE, resolveColumnTypes } from '../../engine/data/column-types';
import { describeColumn } from '../../engine/data/columns';
import { findColumn } from '../../engine/data/columnar';
import { parseNumber } from '../../engine/data/numbers';
import { rareClasses } from '../../engine/data/design-warnings';
import { inferTask, type TaskChoice } from '../../engine/data/task';
import type { ColumnReport, DatasetSummary } from '../../common/dataset-summary';
import type { DatasetRoles } from '../../common/settings';
import { delimiterName } from './import/dialect';
import type { ImportResult } from './import/import-csv';
import { advise } from '../../engine/advice';

export function summarizeImport(result: ImportResult, roles: DatasetRoles = {}): DatasetSummary {
  const { table, dialect } = result;
  const summaries = table.columns.map((c) => describeColumn(c, table.rows));
  const targetColumn = roles.target === undefined ? table.columns[table.columns.length - 1]! : findColumn(table, roles.target);
  if (!targetColumn) throw new Error(`${table.source} has no column "${roles.target}". Its columns are: ${table.columns.map((c) => `"${c.name}"`).join(', ')}.`);
  const named = (names: string[] | undefined, what: string) => names?.map((name) => {
    const column = findColumn(table, name);
    if (!column) throw new Error(`${table.source} has no column "${name}" to ${what}.`);
    return column.name;
  });
  const ignore = named(roles.ignore, 'ignore') ?? [];
  if (ignore.includes(targetColumn.name)) {
    throw new Error(`"${targetColumn.name}" is the column to predict, so it cannot also be ignored. ${advise('otherTarget', '', true)}.`);
  }
  const keepConstant = keptConstants(summaries, named(roles.keepConstant, 'keep'));
  const types = resolveColumnTypes(table, summaries, roles.types ?? {}, targetColumn.name);
  const { features, ignored } = assignRoles(summaries, targetColumn.name, ignore, keepConstant, types);
  const targetSummary = summaries[table.columns.indexOf(targetColumn)]!;
  let task: TaskChoice | null = null;
  let taskProblem: string | null = null;
  try {
    task = inferTask(targetSummary, roles.task);
  } catch (error) {
    taskProblem = (error as Error).message;
  }
  const warnings = [...result.warnings];
  if (task?.reason) warnings.push(task.reason);
  if (task && task.kind !== 'regression') warnings.push(...rareClasses(targetColumn.name, (targetSummary.categories ?? []).map((c) => [c.label, c.count] as const)));
  for (const i of ignored) if (i.reason !== 'ignored on request' && i.reason !== IGNORED_BY_TYPE) warnings.push(`Column "${i.column}" is ignored: ${i.reason}.`);
  for (const column of keepConstant) if (features.includes(column)) warnings.push(keptConstantNote(column));
  for (const s of summaries) {
    if (s.invalid) {
      const where = s.invalid.examples.map((e) => `line ${table.lines[e.row]}: "${e.value}"`).join(', ');
      warnings.push(`${s.invalid.count} cell${s.invalid.count === 1 ? '' : 's'} in the numeric column "${s.name}" ${s.invalid.count === 1 ? 'is' : 'are'} not a number (${where}${s.invalid.count > s.invalid.examples.length ? ', …' : ''}).`);
    }
  }
  // Sets, not lists: a wide file has thousands of columns.
  const featureSet = new Set(features);
  const reasons = new Map(ignored.map((i) => [i.column, i]));
  const columns: ColumnReport[] = summaries.map((s) => {
    const isIgnored = reasons.get(s.name);
    const role: ColumnRole = s.name === targetColumn.name ? 'target' : featureSet.has(s.name) ? 'feature' : 'ignored';
    const leftOut = isIgnored !== undefined && isIgnored.reason !== 'ignored on request';
    const encodedAs = types[s.name] ?? (leftOut ? 'ignore' : detectedType(s));
    return { ...s, ...(s.categories ? { categories: s.categories.slice(0, 20) } : {}), role, encodedAs, ...(isIgnored ? { reason: isIgnored.reason } : {}) };
  });
  const numericColumn = summaries.map((s) => s.type === 'numeric' || (s.type === 'constant' && s.stats !== undefined));
  const marker = new Set(result.missingMarkers);
  const preview = result.preview.map((cells) => Object.fromEntries(cells.map((cell, c) => {
    const name = table.columns[c]!.name;
    if (marker.has(cell)) return [name, null];
    const value = numericColumn[c] ? parseNumber(cell, dialect.decimal) : null;
    return [name, value ?? cell];
  })));
  return {
    source: table.source,
    dialect: {
      delimiter: dialect.delimiter,
      delimiterName: delimiterName(dialect.delimiter),
      decimal: dialect.decimal,
      encoding: dialect.encoding,
      bom: dialect.bom,
      header: dialect.header,
      lineEnding: dialect.lineEnding,
      comments: dialect.comments,
    },
    rows: table.rows,
    bytes: result.bytes,
    target: targetColumn.name,
    task,
    taskProblem,
    columns,
    warnings,
    preview,
  };
}
