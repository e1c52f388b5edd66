import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import type { EpochMetrics } from '../../engine/trainer';
import type { Model } from '../../engine/model';
import { saveModel } from '../model-file';
import { writeFileAtomic } from '../files/atomic';
import { plainIssues } from '../../common/issue-text';
import { runRecordSchema, type DamagedRun, type RunRecord } from '../../common/run-record';
import { makeDir } from '../files/make-dir';

/** A file in the store that could not be read as a run; reported, never fatal. */
/**
 * A holder keeps its lock fresh every second; one not touched for 5 s is taken over. Waiting up to about 30 s
 * outlasts a stale lock of a process that died.
 */
const RUN_LOCK = { stale: 5_000, update: 1_000, retries: { retries: 300, factor: 1.2, minTimeout: 5, maxTimeout: 100 }, realpath: false };

const RUN_ID = /^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$/;

/** One folder per run under <home>/runs/<id>: run.json, metrics.jsonl, model.json. Runs are addressed by id only. */
export class RunStore {
  readonly runsDir: string;
  /** The last change of each run queued in this process. */
  private readonly updates = new Map<string, Promise<RunRecord>>();

  constructor(readonly home: string) {
    this.runsDir = join(home, 'runs');
  }

  newId(now = new Date()): string {
    const pad = (n: number) => String(n).padStart(2, '0');
    const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
    return `${stamp}-${randomBytes(2).toString('hex')}`;
  }

  runDir(id: string): string {
    if (!RUN_ID.test(id)) throw new Error(`"${id}" is not a run id (they look like 20260101-120000-ab12).`);
    return join(this.runsDir, id);
  }

  modelPath(id: string): string {
    return join(this.runDir(id), 'model.json');
  }

  async create(record: RunRecord): Promise<void> {
    await makeDir(this.runDir(record.id));
    await this.write(record);
  }

  async write(record: RunRecord): Promise<void> {
    const checked = runRecordSchema.parse(record);
    await writeFileAtomic(join(this.runDir(record.id), 'run.json'), `${JSON.stringify(checked, null, 2)}\n`);
  }

  /**
   * Reads, changes and writes run.json under a lock, because two processes change it: the worker training
   * the run (status, summary) and the app or command line (name, notes). Without it one change could undo the other.
   * Changes made in this process wait their turn in a queue per run; between processes, the lock is waited for
   * longer than it takes to go stale, so a holder that died never costs another process its change.
   */
  update(id: string, change: (record: RunRecord) => RunRecord): Promise<RunRecord> {
    const previous = this.updates.get(id) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.updateUnderLock(id, change));
    this.updates.set(id, next);
    const forget = () => { if (this.updates.get(id) === next) this.updates.delete(id); };
    next.then(forget, forget);
    return next;
  }

  private async updateUnderLock(id: string, change: (record: RunRecord) => RunRecord): Promise<RunRecord> {
    const file = join(this.runDir(id), 'run.json');
    await this.get(id);
    let release: () => Promise<void>;
    try {
      // A lock that cannot be kept fresh (a host too busy to touch it in time) is not worth crashing for: the
      // change is still made whole by the atomic write.
      release = await lock(file, { ...RUN_LOCK, onCompromised: () => {} });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new Error(`Run ${id} is being changed by another nnlab process; try again in a moment.`);
      throw error;
    }
    try {
      const next = change(await this.get(id));
      next.updated = new Date().toISOString();
      await this.write(next);
      return next;
    } finally {
      await release().catch(() => {});
    }
  }


  /** Appends one epoch's metrics as a JSON line; the log only ever grows. */
  /** Writes the whole metrics log anew (a long run's history after thinning). */
  async writeMetrics(id: string, metrics: EpochMetrics[]): Promise<void> {
    await writeFileAtomic(join(this.runDir(id), 'metrics.jsonl'), metricsText(metrics));
  }

  async appendMetrics(id: string, metrics: EpochMetrics[]): Promise<void> {
    if (metrics.length === 0) return;
    await appendFile(join(this.runDir(id), 'metrics.jsonl'), metricsText(metrics));
  }

  /**
   * Keeps the first `epochs` lines of the metrics log and nothing after them: the epochs a resumed run replays after
   * its checkpoint, and a line cut short by a crash, which the next append would run into. Rewrites only if needed.
   */
  async keepMetrics(id: string, epochs: number): Promise<void> {
    const path = join(this.runDir(id), 'metrics.jsonl');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return;
    }
    const kept = metricLines(text).slice(0, epochs).map(({ line }) => `${line}\n`).join('');
    if (kept !== text) await writeFileAtomic(path, kept);
  }

  async readMetrics(id: string): Promise<EpochMetrics[]> {
    let text: string;
    try {
      text = await readFile(join(this.runDir(id), 'metrics.jsonl'), 'utf8');
    } catch {
      return [];
    }
    return metricLines(text).map(({ metrics }) => metrics);
  }

  async saveModel(id: string, model: Model, training: Record<string, unknown>): Promise<string> {
    const path = this.modelPath(id);
    await saveModel(path, model, training);
    return path;
  }

  async get(id: string): Promise<RunRecord> {
    const path = join(this.runDir(id), 'run.json');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new Error(`There is no run "${id}" in ${this.runsDir}.`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new Error(`Run ${id} is damaged: its run.json is not valid JSON.`);
    }
    const parsed = runRecordSchema.safeParse(data, plainIssues);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`Run ${id} is damaged: run.json ${issue.path.join('.')}: ${issue.message}.`);
    }
    return parsed.data;
  }

  /** Every readable run, newest first, and every folder that could not be read, with the reason. */
  async list(): Promise<{ runs: RunRecord[]; damaged: DamagedRun[] }> {
    let entries: string[];
    try {
      entries = await readdir(this.runsDir);
    } catch {
      return { runs: [], damaged: [] };
    }
    const runs: RunRecord[] = [];
    const damaged: DamagedRun[] = [];
    for (const entry of entries.sort().reverse()) {
      if (entry.startsWith('.')) continue;
      if (!RUN_ID.test(entry)) {
        damaged.push({ id: entry, problem: 'not a run folder' });
        continue;
      }
      try {
        runs.push(await this.settleOrphan(await this.get(entry)));
      } catch (error) {
        damaged.push({ id: entry, problem: (error as Error).message });
      }
    }
    return { runs, damaged };
  }

  /**
   * A run that says it is being trained while no process trains it lost its worker (a crash, a kill, a
   * power cut): it is interrupted, and saying so on disk lets it be resumed.
   */
  private async settleOrphan(record: RunRecord): Promise<RunRecord> {
    const claimed = record.status === 'queued' || record.status === 'training' || record.status === 'paused';
    if (!claimed || (record.pid !== null && isProcessAlive(record.pid))) return record;
    const settled: RunRecord = { ...record, status: 'interrupted', pid: null };
    await this.write(settled).catch(() => {});
    return settled;
  }

  async remove(id: string): Promise<void> {
    const stored = await this.get(id).catch((error: unknown) => {
      // A run folder whose run.json is missing or damaged can always be removed: nothing trains from it.
      if (RUN_ID.test(id) && existsSync(this.runDir(id))) return null;
      throw error;
    });
    const record = stored && (await this.settleOrphan(stored));
    if (record && (record.status === 'queued' || record.status === 'training' || record.status === 'paused') && record.pid !== null) {
      throw new Error(`Run ${id} is being trained by another process (${record.pid}); stop it there before deleting it.`);
    }
    await rm(this.runDir(id), { recursive: true, force: true });
  }

  /** Makes the metrics appended so far durable, so a checkpoint never points past the log after a power cut. */
  async syncMetrics(id: string): Promise<void> {
    const handle = await open(join(this.runDir(id), 'metrics.jsonl'), 'a');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}

/** Epochs as lines of the metrics log. */
function metricsText(metrics: EpochMetrics[]): string {
  return metrics.map((m) => `${JSON.stringify(m)}\n`).join('');
}

/** The lines of a metrics log that parse, with their text. A line cut short by a crash is the only damage an append can leave; it is skipped. */
function metricLines(text: string): { line: string; metrics: EpochMetrics }[] {
  return text.split('\n').flatMap((line) => {
    if (!line) return [];
    try {
      return [{ line, metrics: JSON.parse(line) as EpochMetrics }];
    } catch {
      return [];
    }
  });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !hasExited(pid);
}

/**
 * Whether a process that can still be signalled has in fact exited: a zombie, kept only until its parent reaps it.
 * A worker whose host died with it is reaped by the system's first process, which in some containers never does.
 * Linux says so in /proc; elsewhere such a process is reaped.
 */
function hasExited(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // "pid (command) state …": the command may hold spaces and parentheses, the state follows the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}
