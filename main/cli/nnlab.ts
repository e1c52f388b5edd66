import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../version';
import { processIo, type Io } from './io';
import { benchCommand } from './bench-command';
import { exportCommand } from './export-command';
import { gradcheckCommand } from './gradcheck-command';
import { inspectCommand } from './inspect-command';
import { predictCommand } from './predict-command';
import { runsCommand } from './runs-command';
import { serveCommand } from './serve-command';
import { sweepCommand } from './sweep-command';
import { trainCommand } from './train-command';

export function buildProgram(io: Io): Command {
  const program = new Command('nnlab')
    .description('A laboratory for neural networks built from scratch: train, predict and keep runs from the command line.')
    .version(ENGINE_VERSION, '-V, --version')
    .option('--debug', 'show the full stack trace when something fails')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  for (const command of [trainCommand(io), sweepCommand(io), predictCommand(io), inspectCommand(io), runsCommand(io), exportCommand(io), gradcheckCommand(io), benchCommand(io), serveCommand(io)]) {
    program.addCommand(command);
  }
  // Subcommands added whole do not inherit these settings, so they are applied to every level.
  const configure = (command: Command) => {
    command.exitOverride().configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/** Runs the command line and returns the exit code; failures become one plain sentence on stderr. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    io.err(`nnlab: ${message}`);
    if (argv.includes('--debug') && error instanceof Error && error.stack) io.err(error.stack);
    return 1;
  }
}

// bin/nnlab.js imports this module, so run only when launched directly
// (`node out/main/cli.js`); realpath because argv[1] may be a symlink.
function launchedDirectly(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (launchedDirectly()) {
  process.exitCode = await main(process.argv.slice(2));
}
