/** Where a command writes, so commands can be run and checked inside tests as well as from a terminal. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Writes to stderr without a newline (progress that redraws itself). */
  errRaw(text: string): void;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  exitCode: number;
}

export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    errRaw: (text) => process.stderr.write(text),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    exitCode: 0,
  };
}
