import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonWith } from '../../main/python';
import { spawnCli } from '../support/cli';

interface Line {
  bench?: string;
  dataset?: string;
  peer?: string;
  skipped?: string;
  [key: string]: unknown;
}

const jsonLines = (stdout: string): Line[] => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);

const sklearn = pythonWith('sklearn', 'pandas');
const NO_SKLEARN = sklearn === null ? ' [skipped: python3 with scikit-learn and pandas was not found]' : '';
// Whole bench runs on a shared two-core machine: generous, and never a measure of speed.
const TIMEOUT = 600_000;

describe('nnlab bench --only quality', () => {
  it.skipIf(sklearn === null)(`trains nnlab and three scikit-learn MLPs on the same iris split and prints them side by side${NO_SKLEARN}`, () => {
    const run = spawnCli(['bench', '--only', 'quality', '--datasets', 'iris', '--seeds', '1']);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    const scores = lines.filter((l) => l.bench === 'quality' && l.dataset === 'iris');
    expect(scores.map((l) => l.peer).sort()).toEqual(['nnlab', 'sklearn 16', 'sklearn 64-32', 'sklearn default']);
    // One split read by both: 150 irises, 13 of each species in test.csv, scored by every peer.
    for (const score of scores) {
      expect(score).toMatchObject({ seed: 1, test_rows: 39 });
      expect(score.accuracy).toBeGreaterThan(0.8);
      expect(score.balanced_accuracy).toBeGreaterThan(0.8);
    }
    const summary = lines.find((l) => l.bench === 'quality-summary')!;
    expect(summary).toMatchObject({ id: 'iris', rows: 150, features: 4, classes: 3, metric: 'accuracy' });
    expect(typeof summary.gap).toBe('number');
    expect(lines.find((l) => l.bench === 'quality-settings')).toMatchObject({ seeds: [1], test_fraction: 0.25, nnlab_args: [] });
    expect(run.stdout).toMatch(/^dataset +rows +features +task +metric +nnlab +sklearn default +sklearn 16 +sklearn 64-32 +best sklearn +nnlab − best/m);
    expect(run.stdout).toMatch(/^iris +150 +4 +3 classes +accuracy +0\.\d{3} /m);
  }, TIMEOUT);

  describe('where no Python has scikit-learn', () => {
    // A PATH whose only python3 has no scikit-learn, as on a machine without it.
    const bin = mkdtempSync(join(tmpdir(), 'nnlab-no-sklearn-'));
    afterAll(() => rmSync(bin, { recursive: true, force: true }));
    writeFileSync(join(bin, 'python3'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(bin, 'python3'), 0o755);

    it('still trains nnlab on the datasets it ships, with the extra flags given, and says what it skipped', () => {
      const run = spawnCli(['bench', '--only', 'quality', '--datasets', 'iris,wine', '--seeds', '2', '--nnlab-args', '--layers 4 --epochs 5 --early-stop 0'], { PATH: bin });
      expect(run.code, run.stderr).toBe(0);
      const lines = jsonLines(run.stdout);
      const scores = lines.filter((l) => l.bench === 'quality' && l.peer !== undefined && l.skipped === undefined);
      // In the order the two lanes finish, so sorted by seed.
      expect(scores.map((l) => [l.dataset, l.peer, l.seed, l.epochs]).sort((a, b) => Number(a[2]) - Number(b[2]))).toEqual([['iris', 'nnlab', 1, 5], ['iris', 'nnlab', 2, 5]]);
      expect(lines).toContainEqual({ bench: 'quality', skipped: 'wine', reason: 'scikit-learn is missing, and the dataset comes from it' });
      expect(lines.find((l) => l.bench === 'quality-settings')).toMatchObject({ nnlab_args: ['--layers', '4', '--epochs', '5', '--early-stop', '0'] });
      expect(run.stdout).toMatch(/^scikit-learn: not run, no python3 on PATH has scikit-learn and pandas/m);
      expect(run.stdout).toMatch(/^skipped: wine: scikit-learn is missing, and the dataset comes from it\.$/m);
      expect(run.stdout).toMatch(/--layers 4 --epochs 5 --early-stop 0 on top of its defaults/);
      expect(run.stdout).toMatch(/^iris +150 +4 +3 classes +accuracy +0\.\d{3} ± 0\.\d{3} +\d+\.\d$/m);
    }, TIMEOUT);

    it('stops in one sentence when nnlab train refuses a flag of --nnlab-args', () => {
      const run = spawnCli(['bench', '--only', 'quality', '--datasets', 'iris', '--seeds', '1', '--nnlab-args', '--layer 4'], { PATH: bin });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n').pop()).toBe(
        'nnlab: nnlab train refused the flags "--layer 4": unknown option \'--layer\' (Did you mean --layers?); check --nnlab-args against nnlab train --help.');
    }, TIMEOUT);
  });

  it('refuses an unknown dataset, naming the ones it knows', () => {
    const run = spawnCli(['bench', '--only', 'quality', '--datasets', 'iris,mnist']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unknown dataset "mnist"; expected some of iris, penguins, spiral, wine/);
  });
});
