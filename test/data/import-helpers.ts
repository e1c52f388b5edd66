import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { cellLabel } from '../../engine/data/column-builder';
import type { ColumnarTable } from '../../engine/data/columnar';
import { InputError } from '../../main/data/import/errors';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/csv/', import.meta.url));

export function fixture(name: string): string {
  return FIXTURE_DIR + name;
}

/** Each column's cells as imported text, null where missing, keyed by column name. */
export function textOf(table: ColumnarTable): Record<string, (string | null)[]> {
  return Object.fromEntries(table.columns.map((c) => [c.name, Array.from({ length: table.rows }, (_, r) => cellLabel(c, r))]));
}

/** Each column's parsed numbers (NaN where not a number), keyed by column name. */
export function numbersOf(table: ColumnarTable): Record<string, number[]> {
  return Object.fromEntries(table.columns.map((c) => [c.name, [...c.numbers]]));
}

/** The message of the InputError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function inputErrorOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the import to be refused').toBeInstanceOf(InputError);
  const message = (error as Error).message;
  // A message for a person: no error codes or stack lines.
  expect(message).not.toMatch(/\bE[A-Z]{4,}\b|\n\s+at /);
  return message;
}
