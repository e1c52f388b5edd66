import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataset, lastJson, runCli, tempHome, type TrainJson } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

function csv(name: string, lines: string[]): string {
  const path = join(home.dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function train(args: string[]): Promise<TrainJson> {
  const result = await runCli(['train', ...args, '--epochs', '5', '--home', home.dir, '--json']);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  return lastJson<TrainJson>(result);
}

const SEED = ['--layers', '4', '--activation', 'sigmoid', '--loss', 'sse', '--optimizer', 'sgd', '--lr', '1', '--batch', 'full',
  '--init', 'uniform', '--no-bias', '--no-standardize', '--val', '0', '--test', '0'];
const NOTHING_HELD_OUT = 'This run trained on only 4 rows and was judged on none (no validation or test rows): its scores say how well it fits those rows, not how it does on new ones.';

describe('a run on too little data says so plainly', () => {
  it('the seed network still trains on its 4 rows, and says it trained on 4 rows and was judged on none', async () => {
    const out = await train([dataset('seed-xor.csv'), ...SEED]);
    expect(out.status).toBe('finished');
    expect(out.task).toBe('binary');
    expect(out.warnings).toContain(NOTHING_HELD_OUT);
    expect(out.message).toBe(NOTHING_HELD_OUT);
    const record = JSON.parse(readFileSync(join(home.dir, 'runs', out.run, 'run.json'), 'utf8')) as { summary: { message: string } };
    expect(record.summary.message).toBe(NOTHING_HELD_OUT);
    // Without --json, the closing lines say it too.
    const text = await runCli(['train', dataset('seed-xor.csv'), ...SEED, '--epochs', '5', '--home', home.dir]);
    expect(text.stdout.join('\n')).toContain(`${NOTHING_HELD_OUT}\nfinished after 5 epochs`);
  });

  it('a run on 8 rows says they are too few, and one that holds nothing out says it was judged on none', async () => {
    const eight = csv('eight.csv', ['x,y', ...Array.from({ length: 8 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'}`)]);
    const small = await train([eight, '--val', '0', '--test', '0.25']);
    expect(small.message).toBe('This run trained on only 6 rows, fewer than 10: too few for its scores to be trusted; use more data if there is any.');
    expect(small.warnings).toContain(small.message);
    const whole = await train([dataset('iris.csv'), '--val', '0', '--test', '0']);
    expect(whole.message).toBe('This run was judged on no rows (no validation or test rows): its scores say how well it fits the 150 rows it trained on, not how it does on new ones; keep --val or --test above 0 to judge it.');
    const judged = await train([dataset('iris.csv')]);
    expect(judged.message).toBe('');
    expect(judged.warnings.join(' ')).not.toMatch(/judged on|too few/);
  });
});

describe('the class-code rule for whole-number targets', () => {
  it('predicts a waist size in a 20-row table, 9 values mostly seen once or twice, as a number, and says how to read it as classes', async () => {
    const counts = [1, 2, 2, 3, 2, 2, 4, 2, 2];
    const waists = counts.flatMap((count, i) => Array.from({ length: count }, () => 30 + i));
    const path = csv('body.csv', ['weight,pulse,waist', ...waists.map((w, r) => `${150 + w * 2 + (r % 5)},${50 + ((r * 7) % 20)},${w}`)]);
    const out = await train([path]);
    expect(out.task).toBe('regression');
    expect(out.warnings).toContain('The target "waist" holds 9 distinct whole numbers, most of them in fewer than 3 rows, so it is predicted as a number; use --task classification to treat them as class codes.');
    expect((await train([path, '--task', 'classification'])).task).toBe('multiclass');
  });

  it('keeps the example datasets as they were: iris and penguins classes, the XOR tables binary', async () => {
    expect((await train([dataset('iris.csv')])).task).toBe('multiclass');
    expect((await train([dataset('penguins.csv'), '--target', 'Species'])).task).toBe('multiclass');
    expect((await train([dataset('xor.csv'), '--val', '0', '--test', '0'])).task).toBe('binary');
    expect((await train([dataset('seed-xor.csv'), ...SEED])).task).toBe('binary');
  });
});

describe("the missing-value default 'auto'", () => {
  it('fills in the gaps of a file whose rows mostly have one, records it, and every export predicts the same way', async () => {
    const rows = Array.from({ length: 57 }, (_, r) => `${r % 3 === 0 ? '?' : 20 + r},${r % 7 === 0 ? '?' : (r * 13) % 50},${r % 2 ? 'pos' : 'neg'}`);
    const path = csv('gaps.csv', ['age,dose,outcome', ...rows]);
    const out = await train([path]);
    expect(out.status).toBe('finished');
    expect(out.warnings).toContain('25 of 57 rows have missing feature values (43.9 %), more than the 5 % that may be left out, so their gaps were filled in from the training rows (the mean, or the most common category); use --missing-policy drop to leave them out instead.');
    const record = JSON.parse(readFileSync(join(home.dir, 'runs', out.run, 'run.json'), 'utf8')) as { preprocessing: { missingPolicy: string }; dataset: { splits: Record<string, number> } };
    expect(record.preprocessing.missingPolicy).toBe('impute');
    expect(record.dataset.splits.train + record.dataset.splits.val + record.dataset.splits.test).toBe(57);
    const model = JSON.parse(readFileSync(join(home.dir, 'runs', out.run, 'model.json'), 'utf8')) as { preprocessing: { missingPolicy: string } };
    expect(model.preprocessing.missingPolicy).toBe('impute');
    for (const format of ['js', 'json']) {
      const exported = await runCli(['export', out.run, '--format', format, '--out', join(home.dir, `gaps.${format}`), '--home', home.dir, '--json']);
      expect(exported.code, exported.stderr.join('\n')).toBe(0);
      expect(lastJson<{ verified: boolean }>(exported).verified).toBe(true);
    }
    // Asked for, drop still leaves the rows out (and says the old sentence).
    const dropped = await train([path, '--missing-policy', 'drop']);
    expect(dropped.warnings.join(' ')).toMatch(/25 rows with missing feature values were left out/);
  });

  it('refuses a policy it does not know in one sentence', async () => {
    const result = await runCli(['train', dataset('iris.csv'), '--missing-policy', 'zero', '--home', home.dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.join('\n')).toMatch(/--missing-policy <policy>.*expected one of auto, drop, impute, got "zero"/);
  });
});
