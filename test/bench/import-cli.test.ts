import { describe, expect, it } from 'vitest';
import { pythonWith } from '../../main/python';
import { spawnCli } from '../support/cli';

interface Line {
  bench?: string;
  peer?: string;
  rows?: number;
  skipped?: string;
  peak_rss_mb?: number;
}

const jsonLines = (stdout: string): Line[] => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
const pandas = pythonWith('pandas');

describe('nnlab bench --only import', () => {
  it('reads the same file with the raw parser, nnlab and pandas.read_csv (or says why pandas is missing), and states the goal', () => {
    const run = spawnCli(['bench', '--only', 'import', '--rows', '2000', '--runs', '1']);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout).filter((l) => l.bench === 'import');
    const measured = lines.filter((l) => l.skipped === undefined);
    if (pandas === null) {
      expect(lines.find((l) => l.peer === 'pandas.read_csv')?.skipped).toMatch(/pandas/);
      expect(run.stdout).toMatch(/pandas\.read_csv is not measured: /);
    } else {
      expect(measured.map((l) => l.peer)).toEqual(['papaparse (parse only)', 'nnlab import', 'pandas.read_csv']);
      expect(run.stdout).toMatch(/Goal \(at least pandas' speed, at most its peak memory\): (met|NOT met): nnlab imports at \d+\.\d\d× pandas\.read_csv's speed with \d+\.\d\d× its peak memory\./);
    }
    // Every peer read every data row of the file, and its process's own peak memory is reported.
    for (const line of measured) {
      expect(line.rows).toBe(2000);
      expect(line.peak_rss_mb).toBeGreaterThan(1);
    }
  });
});
