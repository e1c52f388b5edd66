import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { dataset, spawnCli, tempHome } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

describe('the installed nnlab command', () => {
  it('trains and prints one JSON object on the last line of stdout', () => {
    const result = spawnCli(['train', dataset('iris.csv'), '--epochs', '30', '--json'], { NNLAB_HOME: home.dir });
    expect(result.code, result.stderr).toBe(0);
    const last = JSON.parse(result.stdout.trim().split('\n').pop()!);
    for (const key of ['run', 'task', 'epochs', 'train', 'val', 'test', 'samples_per_s', 'model']) expect(last).toHaveProperty(key);
    expect(last.model.startsWith(home.dir)).toBe(true);
  });

  it('gives bit-identical weights in fresh processes from the same seed', () => {
    const args = ['train', dataset('penguins.csv'), '--target', 'Species', '--epochs', '15', '--seed', '3', '--json', '--home', home.dir];
    const first = JSON.parse(spawnCli(args).stdout.trim().split('\n').pop()!);
    const second = JSON.parse(spawnCli(args).stdout.trim().split('\n').pop()!);
    expect(first.run).not.toBe(second.run);
    const layers = (path: string) => JSON.stringify(JSON.parse(readFileSync(path, 'utf8')).layers);
    expect(layers(second.model)).toBe(layers(first.model));
  });

  it('fails with one plain sentence and a non-zero exit code, without a stack trace', () => {
    const result = spawnCli(['train', 'missing.csv', '--home', home.dir]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^nnlab: .*missing\.csv does not exist/);
  });

  it('shows the stack trace with --debug', () => {
    const result = spawnCli(['train', 'missing.csv', '--home', home.dir, '--debug']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});
