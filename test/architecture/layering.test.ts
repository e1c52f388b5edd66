import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(entry) ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, with whether the import is type-only. */
function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: { spec: string; typeOnly: boolean }[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(pattern)) {
    const spec = m[3] ?? m[4] ?? m[5];
    if (spec) found.push({ spec, typeOnly: Boolean(m[2]) });
  }
  return found;
}

const NODE_BUILTIN = /^(node:|fs$|fs\/|path$|os$|child_process$|worker_threads$|crypto$|http$|https$|net$|url$|stream$|events$|util$|process$|buffer$|timers)/;

describe('layering (DESIGN.md: imports go one way)', () => {
  it('engine/ imports nothing from Node, the DOM, Electron, packages, or the rest of nnlab', () => {
    const offences: string[] = [];
    for (const file of sourceFiles('engine')) {
      for (const { spec } of imports(file)) {
        const resolved = spec.startsWith('.') ? relative(root, join(root, file, '..', spec)) : spec;
        if (!spec.startsWith('.')) offences.push(`${file} imports "${spec}" (the engine has no dependencies)`);
        else if (!resolved.startsWith('engine/') && resolved !== 'engine') offences.push(`${file} imports ${resolved}, outside engine/`);
      }
      const text = readFileSync(join(root, file), 'utf8');
      for (const global of ['process.', 'Buffer.', 'window.', 'document.', 'require(']) {
        if (text.includes(global)) offences.push(`${file} uses ${global.replace('.', '')}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('renderer/ imports no Node or Electron, and only types from main/', () => {
    const offences: string[] = [];
    for (const file of sourceFiles('renderer')) {
      for (const { spec, typeOnly } of imports(file)) {
        if (NODE_BUILTIN.test(spec) || spec === 'electron') offences.push(`${file} imports "${spec}"`);
        if (spec.includes('/main/') && !typeOnly) offences.push(`${file} imports code from main/ (${spec}); only types may cross`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('only main/electron/ and main/preload/ import electron', () => {
    const offences = sourceFiles('main')
      .filter((f) => !f.startsWith('main/electron/') && !f.startsWith('main/preload/'))
      .filter((f) => imports(f).some(({ spec }) => spec === 'electron' || spec.startsWith('electron/')))
      .map((f) => `${f} imports electron; plain Node runs it`);
    expect(offences).toEqual([]);
  });

  it('the check sees imports at all (it would pass vacuously otherwise)', () => {
    expect(imports('main/cli/nnlab.ts').map((i) => i.spec)).toContain('commander');
    expect(imports('engine/network.ts').map((i) => i.spec)).toContain('./dense-layer');
  });
});
