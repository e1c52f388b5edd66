/**
 * How to run a JavaScript file with the runtime this process runs on. In the packaged desktop app
 * `process.execPath` is the nnlab app itself, which starts a window unless ELECTRON_RUN_AS_NODE asks it to be
 * plain Node; under Node the variable means nothing, so the same command serves both.
 */
export function nodeRuntime(): { command: string; env: NodeJS.ProcessEnv } {
  return { command: process.execPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
}
