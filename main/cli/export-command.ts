import { statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { EXPORT_FORMATS, exportRun, type ExportFormat } from '../export/export-run';
import { resolveLabHome } from '../lab-home';
import { writeFileAtomic } from '../files/atomic';
import { RunStore } from '../store/run-store';
import type { Io } from './io';

function formatChoice(text: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(text)) return text as ExportFormat;
  throw new InvalidArgumentError(`expected one of ${EXPORT_FORMATS.join(', ')}, got "${text}".`);
}

export function exportCommand(io: Io): Command {
  return new Command('export')
    .description('Export a run’s model, with its preprocessing, and check the export against nnlab on held-back rows before writing it.')
    .argument('<run>', 'the run id (see nnlab runs list)')
    .requiredOption('--format <format>', `${EXPORT_FORMATS.join(', ')}`, formatChoice)
    .option('--out <path>', 'where to write: a file, or a folder to write the file named after the run into (default: that file in the current folder)')
    .option('--home <dir>', 'the lab folder (default: NNLAB_HOME, else the desktop app’s data folder)')
    .option('--json', 'print one JSON object: {"format","files":[...],"verified","max_delta","rows","message"}')
    .action(async (run: string, flags: { format: ExportFormat; out?: string; home?: string; json?: boolean }) => {
      const store = new RunStore(resolveLabHome(flags.home, io.env));
      const result = await exportRun(store, run, flags.format);
      const { verification } = result;
      // A mismatch is a failed export: nothing is written. A check that could not run is said, not fatal.
      if (!verification.verified && verification.maxDelta !== null) throw new Error(`The ${flags.format} export was not written: ${verification.message}.`);
      // --out may name a folder (one that exists, or any path ending in a slash): the file goes into it.
      const intoFolder = flags.out !== undefined && (/[\\/]$/.test(flags.out) || statSync(flags.out, { throwIfNoEntry: false })?.isDirectory() === true);
      const main = flags.out ? (intoFolder ? join(resolve(flags.out), result.files[0]!.name) : resolve(flags.out)) : resolve(result.files[0]!.name);
      const written: string[] = [];
      for (const [i, file] of result.files.entries()) {
        // Extra files (a metrics export's charts) go next to the main one, named after it.
        const path = i === 0 ? main : join(dirname(main), `${basename(main, extname(main))}-${file.name.split('-').pop()}`);
        await writeFileAtomic(path, file.bytes);
        written.push(path);
      }
      if (flags.json) {
        io.out(JSON.stringify({ format: flags.format, files: written, verified: verification.verified, max_delta: verification.maxDelta, rows: verification.rows, message: verification.message }));
      } else {
        io.out(`Wrote ${written.join(', ')}`);
        io.out(verification.message);
      }
    });
}
