import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { TrainerState } from '../../engine/trainer';
import { trainerStateSchema } from '../../common/trainer-state';
import { writeFileAtomic } from '../files/atomic';

/** The file that lets a run continue exactly where it stopped: the trainer's whole state. */
export const CHECKPOINT_FILE = 'checkpoint.json';
const CHECKPOINT_VERSION = 1;

const checkpointSchema = z.object({
  version: z.literal(CHECKPOINT_VERSION),
  saved: z.string(),
  state: trainerStateSchema,
});

export async function saveCheckpoint(runDir: string, state: TrainerState): Promise<void> {
  const file = z.encode(checkpointSchema, { version: CHECKPOINT_VERSION, saved: new Date().toISOString(), state });
  await writeFileAtomic(join(runDir, CHECKPOINT_FILE), JSON.stringify(file));
}

/** Whether the run ever saved a checkpoint (a run killed before its first has none, and resumes from its start). */
export function hasCheckpoint(runDir: string): boolean {
  return existsSync(join(runDir, CHECKPOINT_FILE));
}

export async function loadCheckpoint(runDir: string, run: string): Promise<TrainerState> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(join(runDir, CHECKPOINT_FILE), 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? `Run ${run} has no checkpoint to resume from.` : `Run ${run} has a damaged checkpoint: it is not valid JSON.`);
  }
  const parsed = checkpointSchema.safeParse(data);
  if (!parsed.success) throw new Error(`Run ${run} has a damaged checkpoint (${parsed.error.issues[0]!.path.join('.')}).`);
  return parsed.data.state;
}
