#!/usr/bin/env node
// The CLI ships as a build output (out/main/cli.js); this shim only locates it.
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);

// Checked up front so a missing build is not confused with a module that fails to load.
if (!existsSync(cli)) {
  console.error('nnlab is not built yet: run npm install (or npm run build) first.');
  process.exit(1);
}

const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
