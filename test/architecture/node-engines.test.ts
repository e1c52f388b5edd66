import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
// npm's own range arithmetic (installed with the build tools).
const semver = createRequire(import.meta.url)('semver') as {
  subset(sub: string, dom: string): boolean;
  minVersion(range: string): { version: string } | null;
};

interface Manifest { name?: string; version?: string; engines?: { node?: string } }

/** Every installed package's Node range, as `npm install` checks them (EBADENGINE). */
function installedRanges(dir = join(root, 'node_modules')): [string, string][] {
  const found: [string, string][] = [];
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (entry.startsWith('@')) {
      found.push(...installedRanges(path));
      continue;
    }
    const manifest = join(path, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, version, engines } = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
    if (engines?.node) found.push([`${name}@${version}`, engines.node]);
    if (existsSync(join(path, 'node_modules'))) found.push(...installedRanges(join(path, 'node_modules')));
  }
  return found;
}

describe('the Node versions nnlab asks for', () => {
  const ours = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest).engines!.node!;

  it('are versions every installed dependency accepts, so npm install warns of none', () => {
    const refusing = installedRanges().filter(([, range]) => !semver.subset(ours, range));
    expect(refusing).toEqual([]);
  });

  it('start at the version the README names', () => {
    const minimum = semver.minVersion(ours)!.version.replace(/\.0$/, '');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`Node.js ${minimum} or newer`);
  });
});
