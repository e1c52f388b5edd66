import { columnarFromTable } from '../../engine/data/columnar';
import type { Split } from '../../engine/metrics';
import { predictTable, type Model, type RowPrediction } from '../../engine/model';
import type { ImportedDialect } from '../data/import/import-csv';
import type { RunRecord } from '../../common/run-record';
import { heldBackSplit, readRunData, type HeldBackName } from '../training/run-data';
import type { RawRow } from './standalone-model';

/** Rows the model did not train on, in every form an export check needs. */
export interface HeldBack {
  /** Which split they come from: test, else validation, else (with nothing held back) training. */
  split: HeldBackName;
  /** Encoded inputs, rows × inputs, as the network sees them. */
  encoded: Split;
  /** The same rows as cells by column name: numbers for numeric columns, text, null when missing. */
  raw: RawRow[];
  /** nnlab's own predictions for `raw`. */
  expected: RowPrediction[];
  dialect: ImportedDialect;
}

const MAX_ROWS = 1000;

/** Reads the run's data again and picks its held-back rows (at most MAX_ROWS). */
export async function heldBackRows(run: RunRecord, model: Model): Promise<HeldBack> {
  const runData = await readRunData(run.request, true);
  const { imported } = runData;
  const { name: split, split: chosen, source } = heldBackSplit(runData);
  const count = Math.min(MAX_ROWS, chosen.rows);
  const inputs = model.spec.inputs;
  const outputs = chosen.y.length / Math.max(1, chosen.rows);
  const encoded: Split = { x: chosen.x.subarray(0, count * inputs), y: chosen.y.subarray(0, count * outputs), rows: count };
  const rowIndices = Array.from(chosen.source!.subarray(0, count));
  const { table, text } = source;
  const raw = rowIndices.map((r) => Object.fromEntries(table.columns.map((column, c) => {
    const cell = text![r]![c]!;
    if (imported.missingMarkers.includes(cell)) return [column.name, null];
    const number = column.numbers[r]!;
    const numericFeature = model.preprocessing.features.some((f) => f.kind === 'numeric' && f.column === column.name);
    return [column.name, numericFeature && !Number.isNaN(number) ? number : cell];
  })) as RawRow);
  const subset = columnarFromTable({
    source: table.source,
    columns: table.columns.map((c) => c.name),
    cells: table.columns.map((_, c) => rowIndices.map((r) => text![r]![c]!)),
    rows: count,
    lines: rowIndices.map((r) => table.lines[r]!),
  }, new Set(imported.missingMarkers), source.dialect.decimal);
  return { split, encoded, raw, expected: predictTable(model, subset), dialect: source.dialect };
}
