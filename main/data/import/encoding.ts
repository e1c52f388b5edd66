import { InputError } from './errors';
import { advise } from '../../../engine/advice';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DetectedEncoding {
  encoding: TextEncoding;
  bom: boolean;
  /** Said to the person when the guess is not plain UTF-8. */
  note?: string;
}

const ALIASES: Record<string, TextEncoding> = {
  'utf-8': 'utf-8', utf8: 'utf-8',
  'utf-16le': 'utf-16le', utf16le: 'utf-16le', 'utf-16': 'utf-16le',
  'utf-16be': 'utf-16be', utf16be: 'utf-16be',
  latin1: 'windows-1252', 'latin-1': 'windows-1252', 'iso-8859-1': 'windows-1252', 'windows-1252': 'windows-1252', cp1252: 'windows-1252',
};

function encodingFromName(name: string): TextEncoding {
  const encoding = ALIASES[name.toLowerCase()];
  if (!encoding) throw new InputError(`Unknown encoding "${name}". Use utf-8, utf-16le, utf-16be or latin1.`);
  return encoding;
}

/** Tells spreadsheets and other binary files from text before anything tries to parse them. */
function binaryKind(sample: Uint8Array, textEncoding?: TextEncoding): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => sample[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive (an .xlsx or .ods spreadsheet is one)';
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) return 'an old-style Excel (.xls) file';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'a PDF document';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (starts(0x1f, 0x8b)) return 'a gzip-compressed file';
  // NUL bytes are normal in UTF-16 text and nowhere else in a text file.
  return !textEncoding?.startsWith('utf-16') && sample.includes(0) ? 'a binary file (it contains NUL bytes)' : null;
}

/** Decides how to decode a file from its first bytes: a byte-order mark, valid UTF-8, or else Latin-1. */
export function detectEncoding(sample: Uint8Array, source: string): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: true, note: `${source} is UTF-16 (little-endian) text.` };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bom: true, note: `${source} is UTF-16 (big-endian) text.` };
  const binary = binaryKind(sample);
  if (binary) throw new InputError(`${source} is ${binary}, not a CSV text file. Save or export the data as CSV first.`);
  try {
    // stream: true holds back a character cut in half at the end of the sample instead of failing on it.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return { encoding: 'utf-8', bom: false };
  } catch {
    return { encoding: 'windows-1252', bom: false, note: latin1Note(source) };
  }
}

/** The encoding a person chose, still refusing files that are not text at all. */
export function chosenEncoding(name: string, sample: Uint8Array, source: string): DetectedEncoding {
  const encoding = encodingFromName(name);
  const binary = binaryKind(sample, encoding);
  if (binary) throw new InputError(`${source} is ${binary}, not a CSV text file. Save or export the data as CSV first.`);
  const bom = (encoding === 'utf-8' && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf)
    || (encoding === 'utf-16le' && sample[0] === 0xff && sample[1] === 0xfe)
    || (encoding === 'utf-16be' && sample[0] === 0xfe && sample[1] === 0xff);
  return { encoding, bom };
}

export function latin1Note(source: string): string {
  return `${source} is not UTF-8, so it was read as Latin-1 (Windows-1252). If accented letters look wrong, save the file as UTF-8 ${advise('encoding')}.`;
}
