import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { exportedIrisTorchScript, HAS_TORCH, NO_TORCH, scriptSplitPrelude, TORCH_PYTHON } from './fixtures';

const exported = exportedIrisTorchScript();

/** The rows of each part as the script splits them, whole and in chunks. */
function splits(): { whole: Record<string, number[]>; chunked: Record<string, number[]> } {
  const result = spawnSync(TORCH_PYTHON!, ['-c', `${scriptSplitPrelude(exported.script)}part_of = m.chunked_split(m.CONFIG["data"])
chunked = {k: [int(r) for r in (part_of == code).nonzero()[0]] for k, code in m.PART_CODES.items()}
print(json.dumps({"whole": parts, "chunked": chunked}))
`], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

const losses = (stdout: string) => [...stdout.matchAll(/^(?:\[default\d+\]:)?epoch (\d+) loss ([\d.]+) val_loss ([\d.]+)$/gm)].map((m) => ({ loss: Number(m[2]), val: Number(m[3]) }));

it.skipIf(!HAS_TORCH)(`--chunk-rows 16 makes the same split as reading the whole file, and trains as well${NO_TORCH}`, () => {
  const { whole, chunked } = splits();
  expect(chunked).toEqual(whole);
  expect(chunked.val!.length).toBe(30);
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const inMemory = spawnSync(TORCH_PYTHON!, [exported.script, '--epochs', '30', '--out', join(exported.dir, 'whole.pt')], { encoding: 'utf8', env });
  const streamed = spawnSync(TORCH_PYTHON!, [exported.script, '--epochs', '30', '--chunk-rows', '16', '--out', join(exported.dir, 'chunked.pt')], { encoding: 'utf8', env });
  expect(streamed.status, streamed.stderr).toBe(0);
  expect(streamed.stdout).toContain('reading iris.csv in chunks of 16 rows');
  expect(streamed.stdout).toContain('rows: 90 train, 30 validation, 30 test\n');
  expect(streamed.stdout).toMatch(/^peak memory: \d+ MB$/m);
  const a = losses(inMemory.stdout);
  const b = losses(streamed.stdout);
  expect(b).toHaveLength(30);
  expect(b[29]!.loss).toBeLessThan(b[0]!.loss / 2);
  // Another order of the same rows: a comparable fit, not the same numbers.
  expect(b[29]!.val).toBeLessThan(a[29]!.val * 1.5 + 0.05);
});

it.skipIf(!HAS_TORCH)(`trains in chunks under torchrun --nproc_per_node 2, each process its share${NO_TORCH}`, () => {
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const launch = ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', '--redirects', '1', '--tee', '1'];
  const result = spawnSync(TORCH_PYTHON!, [...launch, exported.script, '--epochs', '4', '--chunk-rows', '16', '--out', join(exported.dir, 'two.pt')], { encoding: 'utf8', env });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toContain('distributed: 2 processes (gloo)');
  expect(result.stdout).toMatch(/each process trains on 45 of the 90 training rows, \d+ a mini-batch/);
  const epochs = losses(result.stdout);
  expect(epochs).toHaveLength(4);
  expect(epochs[3]!.loss).toBeLessThan(epochs[0]!.loss);
});

it.skipIf(!HAS_TORCH)(`names the line of a row the chunk reader cannot read${NO_TORCH}`, () => {
  const bad = join(exported.dir, 'bad.csv');
  writeFileSync(bad, 'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n4.9,3.0\n');
  const result = spawnSync(TORCH_PYTHON!, [exported.script, '--data', bad, '--chunk-rows', '16', '--dry-run'], { encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(result.stderr.trim()).toBe('bad.csv line 3: 2 cells, but the model reads 5 columns: check the row, or the delimiter'.replace(/^/, `${bad.slice(0, -'bad.csv'.length)}`));
});
