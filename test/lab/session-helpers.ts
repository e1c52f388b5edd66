import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeWorkerLauncher } from '../../main/lab/worker-launcher';
import type { TrainingSession } from '../../main/lab/training-session';
import type { TrainRequest } from '../../common/settings';
import { trainRequest, type FlatSettings } from '../support/settings';
import { Random } from '../../engine/random';
import { repoRoot } from '../support/cli';

export const launcher = nodeWorkerLauncher(join(repoRoot, 'out', 'main', 'worker.js'));

export function request(file: string, changes: FlatSettings = {}): TrainRequest {
  return trainRequest(file, { earlyStop: null, ...changes });
}

/** A two-class problem big enough that training takes a while: two noisy rings. */
export function writeRings(dir: string, rows: number): string {
  const rng = new Random(5);
  const lines = ['x,y,ring'];
  for (let i = 0; i < rows; i++) {
    const ring = i % 2;
    const angle = rng.uniform() * 2 * Math.PI;
    const radius = (ring ? 2 : 1) + 0.3 * rng.normal();
    lines.push(`${(radius * Math.cos(angle)).toFixed(4)},${(radius * Math.sin(angle)).toFixed(4)},${ring ? 'outer' : 'inner'}`);
  }
  const path = join(dir, `rings-${rows}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Resolves when the session has reported at least `epochs` finished epochs. */
export function epochsReached(session: TrainingSession, epochs: number): Promise<void> {
  return new Promise((resolve) => {
    if (session.epochs.length >= epochs) return resolve();
    const off = session.subscribe(() => {
      if (session.epochs.length >= epochs) {
        off();
        resolve();
      }
    });
  });
}
