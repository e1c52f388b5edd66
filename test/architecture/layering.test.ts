import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md's layering as one table, in the manner of VS Code's layering rule: every folder of engine/, main/
// and renderer/src (and every top-level file there) is a unit, and each unit lists the units it may import.
// Imports inside a unit are free; between units they follow the table, and the graph of units has no cycle.

const root = new URL('../../', import.meta.url).pathname;

/** Units that a rule names as a whole: "engine" allows every engine/ unit. */
const ENGINE = 'engine';

const ALLOWED: Record<string, readonly string[]> = {
  // The engine: pure TypeScript that runs anywhere; its own folders and files only (checked for cycles below).
  [ENGINE]: [ENGINE],
  // Shapes every runtime shares: schemas and constants over the engine's types.
  common: [ENGINE],

  'main/version.ts': [],
  'main/app-paths.ts': [],
  'main/lab-home.ts': ['main/files'],
  'main/python.ts': [],
  'main/node-runtime.ts': [ENGINE],
  'main/files': [],
  'main/data': ['common', ENGINE],
  'main/model-file.ts': ['common', ENGINE, 'main/files', 'main/version.ts'],
  'main/store': ['common', ENGINE, 'main/files', 'main/model-file.ts'],
  'main/training': ['common', ENGINE, 'main/data', 'main/files', 'main/model-file.ts', 'main/store', 'main/version.ts'],
  'main/worker': ['common', ENGINE, 'main/files', 'main/store', 'main/training'],
  'main/export': ['common', ENGINE, 'main/data', 'main/model-file.ts', 'main/node-runtime.ts', 'main/python.ts', 'main/store', 'main/training', 'main/version.ts'],
  'main/predict': ['common', ENGINE, 'main/data', 'main/export', 'main/model-file.ts'],
  'main/lab': [
    'common', ENGINE, 'main/app-paths.ts', 'main/data', 'main/export', 'main/files', 'main/model-file.ts', 'main/node-runtime.ts', 'main/predict', 'main/store',
    'main/training', 'main/version.ts',
  ],
  'main/serve': ['common', 'main/app-paths.ts'],
  'main/electron': ['common', 'main/app-paths.ts', 'main/files', 'main/lab', 'main/predict', 'main/version.ts'],
  'main/preload': ['common'],
  'main/bench': ['common', ENGINE, 'main/app-paths.ts', 'main/data', 'main/files', 'main/node-runtime.ts', 'main/python.ts'],
  'main/cli': [
    'common', ENGINE, 'main/app-paths.ts', 'main/bench', 'main/data', 'main/export', 'main/files', 'main/lab', 'main/lab-home.ts',
    'main/predict', 'main/serve', 'main/store', 'main/training', 'main/version.ts',
  ],

  'renderer/src/lib': ['common', ENGINE],
  'renderer/src/components': ['common', ENGINE, 'renderer/src/lib'],
  'renderer/src/views': ['common', ENGINE, 'renderer/src/lib', 'renderer/src/components'],
  'renderer/src/App.svelte': ['common', 'renderer/src/lib', 'renderer/src/components', 'renderer/src/views'],
  'renderer/src/main.ts': ['renderer/src/lib', 'renderer/src/App.svelte'],
};

/** Packages each top folder may use besides its own units (engine/ none at all). */
const PACKAGES: Record<string, (spec: string) => boolean> = {
  engine: () => false,
  common: (spec) => spec === 'zod',
  main: () => true,
  renderer: (spec) => !NODE_BUILTIN.test(spec) && spec !== 'electron' && !spec.startsWith('electron/'),
};

const NODE_BUILTIN = /^(node:|fs$|fs\/|path$|os$|child_process$|worker_threads$|crypto$|http$|https$|net$|url$|stream$|events$|util$|process$|buffer$|timers)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(entry) && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

const FILES = ['engine', 'common', 'main', 'renderer/src'].flatMap(sourceFiles);

/** The unit a file belongs to: its folder one level below engine/, main/ or renderer/src/, else the file itself; common/ is one unit. */
function unitOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'common') return 'common';
  const depth = parts[0] === 'renderer' ? 3 : 2;
  return parts.length > depth ? parts.slice(0, depth).join('/') : file;
}

/** The table's rule for a unit: its own entry, or the engine's for every engine unit. */
function ruleOf(unit: string): readonly string[] | undefined {
  return ALLOWED[unit] ?? (unit.startsWith('engine/') ? ALLOWED[ENGINE] : undefined);
}

const allows = (rule: readonly string[], unit: string): boolean =>
  rule.some((allowed) => allowed === unit || (allowed === ENGINE && unit.startsWith('engine/')));

/** Every module specifier a file imports or re-exports. */
function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const pattern = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** The repository file a relative import names, or null for a package or a file outside the layered folders. */
function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = join(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.svelte`, join(base, 'index.ts')]) {
    if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return relative(root, join(root, candidate));
  }
  return base;
}

interface Edge { from: string; to: string; file: string; target: string }

function unitEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of FILES) {
    for (const spec of imports(file)) {
      const target = resolveImport(file, spec);
      if (target === null || !/^(engine|common|main|renderer\/src)\/.*\.(ts|svelte)$/.test(target)) continue;
      const from = unitOf(file);
      const to = unitOf(target);
      if (from !== to) edges.push({ from, to, file, target });
    }
  }
  return edges;
}

/** Cycles in the unit graph (Tarjan's strongly connected components of more than one unit). */
function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) next.set(from, (next.get(from) ?? new Set()).add(to));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const unit of new Set(FILES.map(unitOf))) if (!index.has(unit)) visit(unit);
  return found;
}

describe('layering (DESIGN.md: one table of allowed imports, no cycles)', () => {
  it('every unit has a row in the table', () => {
    const missing = [...new Set(FILES.map(unitOf))].filter((unit) => ruleOf(unit) === undefined);
    expect(missing).toEqual([]);
  });

  it('every import between units is one the table allows', () => {
    const offences = unitEdges()
      .filter(({ from, to }) => !allows(ruleOf(from) ?? [], to))
      .map(({ file, target, from, to }) => `${file} imports ${target}: ${from} may not import ${to}`);
    expect([...new Set(offences)]).toEqual([]);
  });

  it('no import cycle between folders or top-level files', () => {
    expect(cycles(unitEdges())).toEqual([]);
  });

  it('packages: engine/ uses none, common/ only zod, renderer/ no Node or Electron, and only main/electron and main/preload Electron', () => {
    const offences: string[] = [];
    for (const file of FILES) {
      const top = file.split('/')[0]!;
      for (const spec of imports(file).filter((s) => !s.startsWith('.'))) {
        if (!PACKAGES[top]!(spec)) offences.push(`${file} imports "${spec}"`);
        const electron = spec === 'electron' || spec.startsWith('electron/');
        if (electron && !file.startsWith('main/electron/') && !file.startsWith('main/preload/')) offences.push(`${file} imports electron; plain Node runs it`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('engine/ and common/ use no Node or DOM globals', () => {
    const offences: string[] = [];
    for (const file of FILES.filter((f) => f.startsWith('engine/') || f.startsWith('common/'))) {
      const code = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const match of code.matchAll(/\b(process|Buffer|window|document)\.|\brequire\(/g)) offences.push(`${file} uses ${match[1] ?? 'require'}`);
    }
    expect(offences).toEqual([]);
  });

  it('the checks see imports and would catch a cycle (they would pass vacuously otherwise)', () => {
    expect(imports('main/cli/nnlab.ts')).toContain('commander');
    expect(unitEdges().some((e) => e.from === 'main/lab' && e.to === 'main/store')).toBe(true);
    const made: Edge[] = [
      { from: 'main/store', to: 'main/model-file.ts', file: '', target: '' },
      { from: 'main/model-file.ts', to: 'main/store', file: '', target: '' },
    ];
    expect(cycles(made)).toEqual([['main/model-file.ts', 'main/store']]);
    expect(allows(ALLOWED['renderer/src/lib']!, 'main/lab')).toBe(false);
  });
});
