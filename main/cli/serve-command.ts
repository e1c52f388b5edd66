import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { LabBackend } from '../lab/lab-backend';
import { insideFolders } from '../lab/readable-paths';
import { examplesDir } from '../lab/examples';
import { nodeWorkerLauncher } from '../lab/worker-launcher';
import { checkLabHome, resolveLabHome } from '../lab-home';
import { startLabServer, type LabServer } from '../serve/lab-server';
import { defaultRendererDir } from '../serve/static-files';
import type { Io } from './io';

const DEFAULT_SERVE_PORT = 5178;

interface ServeFlags {
  port: number;
  home?: string;
  open?: boolean;
}

function portNumber(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value > 65_535) throw new InvalidArgumentError(`expected a port from 0 to 65535 (0: any free port), got "${text}".`);
  return value;
}

export function serveCommand(io: Io): Command {
  return new Command('serve')
    .description('Open the lab in a web browser on this computer: serves it on 127.0.0.1 with a secret token in the address, until Ctrl-C.')
    .option('--port <n>', 'the port to listen on (0: any free port)', portNumber, DEFAULT_SERVE_PORT)
    .option('--home <dir>', 'the lab folder where runs are kept (default: NNLAB_HOME, else the desktop app’s data folder)')
    .option('--open', 'open the address in the system browser')
    .action(async (flags: ServeFlags) => {
      io.exitCode = await runServe(flags, io);
    });
}

async function runServe(flags: ServeFlags, io: Io): Promise<number> {
  const rendererDir = defaultRendererDir();
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`the browser interface is not built (${join(rendererDir, 'index.html')} is missing): run npm run build first.`);
  }
  const home = await checkLabHome(resolveLabHome(flags.home, io.env));
  // A browser sends the bytes of its files; the paths it may name are those of its uploads and the examples.
  const lab = new LabBackend(home, nodeWorkerLauncher(), { readablePath: insideFolders([home, examplesDir()]) });
  let server: LabServer;
  try {
    server = await startLabServer({ lab, port: flags.port, rendererDir, log: (line) => io.err(line) });
  } catch (error) {
    lab.shutdown();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${flags.port} is already in use: choose another with --port N (--port 0 takes any free port).`, { cause: error });
    }
    throw error;
  }
  // Listening for Ctrl-C and SIGTERM before the address is printed: whoever reads it may signal at once.
  const stopRequested = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A second Ctrl-C does not wait for the clean shutdown.
      process.once('SIGINT', () => process.exit(130));
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // The first line of stdout is the address, token included: scripts and tests read it.
  io.out(server.url);
  io.err(`Serving the lab in ${home} to this computer only. Press Ctrl-C to stop.`);
  if (flags.open) openBrowser(server.url, io);

  await stopRequested;
  io.err('Stopping: training runs are kept at their last checkpoint.');
  await server.close();
  lab.shutdown();
  // Workers are ending and their runs being marked; the process ends by itself once they are done,
  // and this timer (which does not keep it alive) ends it if something still holds it.
  setTimeout(() => process.exit(io.exitCode), 5000).unref();
  return 0;
}

/** Best effort: a missing or failing opener is a note, and the address is printed anyway. */
function openBrowser(url: string, io: Io): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]]
      : ['xdg-open', [url]];
  const note = (why: string) => io.err(`note: could not open a browser (${why}); open the address above yourself.`);
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: process.platform === 'win32' });
    child.on('error', (error) => note(`${command}: ${error.message}`));
    child.on('exit', (code) => { if (code !== null && code !== 0) note(`${command} exited with code ${code}`); });
    child.unref();
  } catch (error) {
    note((error as Error).message);
  }
}
