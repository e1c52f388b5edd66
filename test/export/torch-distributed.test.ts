import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { RunRecord } from '../../common/run-record';
import { exportedIrisTorchScript, HAS_TORCH, NO_TORCH, TORCH_PYTHON } from './fixtures';

const exported = exportedIrisTorchScript();

/** The state dict's keys and shapes, as a model built by the script on one process would have them. */
function stateKeys(path: string): string[] {
  const listed = spawnSync(TORCH_PYTHON!, ['-c', 'import sys, torch; print(" ".join("%s:%s" % (k, tuple(v.shape)) for k, v in torch.load(sys.argv[1]).items()))', path], { encoding: 'utf8' });
  expect(listed.status, listed.stderr).toBe(0);
  return listed.stdout.trim().split(' ');
}

// torchrun is PyTorch's own launcher (python3 -m torch.distributed.run); two processes on CPU talk over gloo.
it.skipIf(!HAS_TORCH)(`trains unchanged under torchrun --nproc_per_node 2 on CPU: each process a share of the rows, one loss over all${NO_TORCH}`, () => {
  const distributedOut = join(exported.dir, 'iris-2.pt');
  const singleOut = join(exported.dir, 'iris-1.pt');
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  // --redirects 1 --tee 1: torchrun 1.13's default of "0" fails on Python 3.11 (its flag enum no longer lists 0); with
  // them each process's output reaches the console, prefixed "[default<rank>]:".
  const launch = ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', '--redirects', '1', '--tee', '1'];
  const result = spawnSync(TORCH_PYTHON!, [...launch, exported.script, '--epochs', '4', '--out', distributedOut], { encoding: 'utf8', env });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toContain('distributed: 2 processes (gloo)');
  const record = JSON.parse(readFileSync(join(exported.run.runDir, 'run.json'), 'utf8')) as RunRecord;
  const { train } = record.dataset.splits;
  const { batch } = record.request.settings;
  // A mini-batch of the run's size over both processes: half of it each.
  const share = Math.floor((batch === 'full' ? train : batch) / 2);
  expect(result.stdout).toContain(`each process trains on ${Math.ceil(train / 2)} of the ${train} training rows, ${share} a mini-batch`);
  // Only the first process prints and saves: one line per epoch, the loss over both processes' rows.
  const losses = [...result.stdout.matchAll(/^(?:\[default\d+\]:)?epoch (\d+) loss ([\d.]+) val_loss ([\d.]+)$/gm)].map((m) => Number(m[2]));
  expect(losses).toHaveLength(4);
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(losses[3]!).toBeLessThan(losses[0]!);
  expect(result.stdout.match(/^(?:\[default\d+\]:)?saved /gm)).toHaveLength(1);

  // The same script as one process saves the same layers, so a model trained either way loads the same way.
  const single = spawnSync(TORCH_PYTHON!, [exported.script, '--epochs', '1', '--out', singleOut], { encoding: 'utf8', env });
  expect(single.status, single.stderr).toBe(0);
  expect(single.stdout).not.toContain('distributed:');
  expect(stateKeys(distributedOut)).toEqual(stateKeys(singleOut));
});
