import type { TaskOverride } from '../../engine/data/task';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { summarizeImport } from '../data/dataset-summary';
import type { ColumnReport } from '../../common/dataset-summary';
import { importCsv } from '../data/import/import-csv';
import { compactNumber, textTable } from './format';
import { dateFeaturesText } from '../../engine/data/dates';
import { addImportOptions, importOptions, type ImportFlags } from './import-options';
import { columnList, columnTypes, taskChoice } from './options';
import { detectedType, type ColumnTypes } from '../../engine/data/column-types';
import type { Io } from './io';
import { counted } from '../../engine/words';

interface InspectFlags extends ImportFlags {
  target?: string;
  ignore?: string[];
  keepConstant?: string[];
  task?: TaskOverride;
  columnType?: ColumnTypes;
  json?: boolean;
}

export function inspectCommand(io: Io): Command {
  return addImportOptions(new Command('inspect')
    .description('Show how nnlab reads a CSV file: its dialect, each column’s type, role, missing values and statistics, warnings, and the first rows.')
    .argument('<file.csv>', 'the file to read')
    .option('--target <column>', 'the column to predict (default: the last column)')
    .option('--ignore <columns>', 'columns to leave out, separated by commas', columnList)
    .option('--keep-constant <columns>', 'constant columns to keep as features, separated by commas (as train --keep-constant)', columnList)
    .option('--task <task>', 'classification or regression (default: inferred from the target)', taskChoice)
    .option('--column-type <column=type,...>', 'read a column as another type than detected: number, category, date or ignore', columnTypes)
    .option('--json', 'print one JSON object: {"dialect","rows","columns","warnings","preview",…}'))
    .action(async (file: string, flags: InspectFlags) => {
      const result = await importCsv(resolve(file), importOptions(flags), io.stderrIsTTY ? {
        onProgress: (p) => io.errRaw(`\rReading… ${Math.round((100 * p.bytes) / Math.max(1, p.totalBytes))}% · ${p.rows.toLocaleString('en-US')} rows\x1b[K`),
      } : {});
      if (io.stderrIsTTY) io.errRaw('\r\x1b[K');
      const roles: Parameters<typeof summarizeImport>[1] = {};
      if (flags.target !== undefined) roles.target = flags.target;
      if (flags.ignore) roles.ignore = flags.ignore;
      if (flags.keepConstant) roles.keepConstant = flags.keepConstant;
      if (flags.task) roles.task = flags.task;
      if (flags.columnType) roles.types = flags.columnType;
      const summary = summarizeImport(result, roles);
      if (flags.json) {
        io.out(JSON.stringify(summary));
        return;
      }
      const d = summary.dialect;
      io.out(`${summary.source}: ${summary.rows.toLocaleString('en-US')} rows × ${summary.columns.length} columns · ${d.delimiterName}-separated · decimal "${d.decimal}" · ${d.encoding}${d.bom ? ' with BOM' : ''} · ${d.lineEnding} lines · ${d.header ? 'header row' : 'no header row'}${d.comments ? ' · # comments' : ''}`);
      io.out(summary.task
        ? `target "${summary.target}": ${summary.task.kind}`
        : `target "${summary.target}": cannot be learned — ${summary.taskProblem}`);
      io.out('');
      io.out(textTable([['column', 'type', 'role', 'missing', 'summary'], ...summary.columns.map((c) => [c.name, typeShown(c), c.role, String(c.missing), describe(c)])]));
      if (summary.warnings.length > 0) {
        io.out('');
        for (const w of summary.warnings) io.out(`note: ${w}`);
      }
      io.out('');
      const shown = summary.preview.slice(0, 10);
      if (shown.length > 0) {
        const names = summary.columns.map((c) => c.name);
        io.out(textTable([names, ...shown.map((row) => names.map((n) => (row[n] === null ? '–' : String(row[n]))))]));
      }
    });
}

function describe(c: ColumnReport): string {
  if (c.reason) return c.reason;
  if (c.dateRange) return `${c.dateRange.first} … ${c.dateRange.last}${c.encodedAs === 'date' ? `, as ${dateFeaturesText()}` : ''}`;
  if (c.stats) return `${compactNumber(c.stats.min)} … ${compactNumber(c.stats.max)}, mean ${compactNumber(c.stats.mean)}, sd ${compactNumber(c.stats.std)}`;
  if (c.categories) {
    const shown = c.categories.slice(0, 4).map((k) => `${k.label} ${k.count}`).join(', ');
    return `${counted(c.distinct, 'value', String(c.distinct))}: ${shown}${c.categories.length > 4 || c.distinct > c.categories.length ? ', …' : ''}`;
  }
  return counted(c.distinct, 'distinct value', String(c.distinct));
}

/** A column's type, and what it is read as when a --column-type says otherwise ("numeric → category"). */
function typeShown(c: ColumnReport): string {
  return c.role === 'feature' && c.encodedAs !== detectedType(c) ? `${c.type} → ${c.encodedAs}` : c.type;
}
