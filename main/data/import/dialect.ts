import Papa from 'papaparse';
import { parseNumber, type DecimalMark } from '../../../engine/data/numbers';
import { InputError } from './errors';

export type LineEnding = 'LF' | 'CRLF' | 'CR';

export interface Dialect {
  delimiter: string;
  decimal: DecimalMark;
  lineEnding: LineEnding;
  /** Lines starting with # are comments. */
  comments: boolean;
  header: boolean;
}

export interface DialectChoices {
  delimiter?: string;
  decimal?: DecimalMark;
  header?: boolean;
}

type Newline = '\n' | '\r\n' | '\r';
const NEWLINES: Record<LineEnding, Newline> = { LF: '\n', CRLF: '\r\n', CR: '\r' };

export function newlineOf(ending: LineEnding): Newline {
  return NEWLINES[ending];
}

/** The one character that every line break holds, which is enough to count lines: CRLF's LF. */
export function breakCharOf(ending: LineEnding): '\n' | '\r' {
  return ending === 'CR' ? '\r' : '\n';
}

export function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter === ' ' ? 'space' : `"${delimiter}"`;
}

export function parseDelimiterOption(text: string): string {
  const named: Record<string, string> = { comma: ',', semicolon: ';', tab: '\t', '\\t': '\t', pipe: '|' };
  const delimiter = named[text.toLowerCase()] ?? text;
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new InputError(`"${text}" cannot separate fields: use one character such as , ; | or the word tab.`);
  }
  return delimiter;
}

function detectLineEnding(text: string): LineEnding {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr === -1) return 'LF';
  if (lf === -1) return 'CR';
  return lf === cr + 1 ? 'CRLF' : lf < cr ? 'LF' : 'CR';
}

/** Field counts per line that a delimiter would give, on the sample. */
function fieldCounts(text: string, delimiter: string, newline: Newline, comments: boolean): number[] {
  const result = Papa.parse<string[]>(text, { delimiter, newline, comments: comments ? '#' : false, skipEmptyLines: 'greedy', preview: 60 });
  return result.data.map((row) => row.length);
}

/** How well a delimiter explains the sample: the share of lines with the header's field count. */
function consistency(counts: number[]): number {
  if (counts.length === 0 || counts[0]! < 2) return 0;
  return counts.filter((c) => c === counts[0]).length / counts.length;
}

/**
 * Works out how a file is written from its first lines. Ties go to tab, semicolon and pipe before comma,
 * because a comma that splits consistently next to one of those is usually a decimal comma.
 */
export function sniffDialect(sample: string, choices: DialectChoices = {}): Dialect {
  // The last line of a sample may be cut short; leave it out.
  const cut = Math.max(sample.lastIndexOf('\n'), sample.lastIndexOf('\r'));
  const text = cut > 0 ? sample.slice(0, cut) : sample;
  const lineEnding = detectLineEnding(text);
  const newline = NEWLINES[lineEnding];
  const firstLine = text.split(newline).find((l) => l.trim() !== '') ?? '';
  const comments = firstLine.trimStart().startsWith('#');
  let delimiter = choices.delimiter;
  if (!delimiter) {
    const ranked = (['\t', ';', '|', ','] as const)
      .map((d) => ({ d, score: consistency(fieldCounts(text, d, newline, comments)) }))
      .sort((a, b) => b.score - a.score);
    delimiter = ranked[0]!.score > 0 ? ranked[0]!.d : ',';
  }
  const rows = Papa.parse<string[]>(text, { delimiter, newline, comments: comments ? '#' : false, skipEmptyLines: 'greedy', preview: 60 }).data;
  const cells = rows.slice(1).flat().map((c) => c.trim());
  let decimal = choices.decimal;
  if (!decimal) {
    const commaDecimals = cells.filter((c) => /^[+-]?\d*,\d+$/.test(c)).length;
    const pointDecimals = cells.filter((c) => /^[+-]?\d*\.\d+$/.test(c)).length;
    decimal = delimiter !== ',' && commaDecimals > 0 && commaDecimals >= pointDecimals ? ',' : '.';
  }
  const headerCells = (rows[0] ?? []).map((c) => c.trim()).filter((c) => c !== '');
  const headerLooksLikeData = headerCells.length > 0 && headerCells.every((c) => parseNumber(c, decimal) !== null);
  const header = choices.header ?? !headerLooksLikeData;
  return { delimiter, decimal, lineEnding, comments, header };
}
