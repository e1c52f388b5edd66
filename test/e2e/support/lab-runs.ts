import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../../common/run-record';

/** Every run.json of the lab folder `home`, oldest first. */
export function labRuns(home: string): RunRecord[] {
  return readdirSync(join(home, 'runs'))
    .map((id) => JSON.parse(readFileSync(join(home, 'runs', id, 'run.json'), 'utf8')) as RunRecord)
    .sort((a, b) => a.created.localeCompare(b.created));
}
