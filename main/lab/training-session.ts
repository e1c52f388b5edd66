import type { EpochMetrics } from '../../engine/trainer';
import type { TrainingHealth } from '../../engine/health';
import { RunStore } from '../store/run-store';
import type { TrainRequest } from '../../common/settings';
import type { ForkSource } from '../../common/fork-source';
import { WORKER_PROTOCOL, workerEventSchema, type Progress, type SessionState, type WorkerCommand, type WorkerEvent } from '../../common/worker-protocol';
import type { WorkerHandle, WorkerLauncher } from './worker-launcher';
import { advise } from '../../engine/advice';

/** What a session tells whoever watches it: every worker event, and the worker's end. */
export type SessionEvent =
  | WorkerEvent
  | { type: 'exit'; expected: boolean; message: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type CommandBody = DistributiveOmit<Exclude<WorkerCommand, { type: 'configure' } | { type: 'reopen' }>, 'seq'>;

/**
 * The host's handle on one training session: a worker process, the commands sent to it, and the state
 * it reports. Every message from the worker is validated before anything uses it.
 */
export class TrainingSession {
  state: SessionState = 'loading';
  progress: Progress | null = null;
  run = '';
  warnings: string[] = [];
  /** Why the worker ended, when it ended unexpectedly. */
  exitMessage = '';
  /** Epoch metrics received so far in this session. */
  readonly epochs: EpochMetrics[] = [];
  /** The run's training health as last measured in this session. */
  health: TrainingHealth | null = null;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;

  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (p: Progress | WorkerEvent) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private done = false;
  /** What the worker said before it ended, when training itself failed. */
  private failure: string | null = null;

  private constructor(private readonly worker: WorkerHandle, private readonly home: string) {
    worker.onMessage((message) => this.receive(message));
    this.exited = new Promise((resolve) => worker.onExit((code, signal) => {
      void this.onExit(code, signal).finally(() => resolve({ code, signal }));
    }));
  }

  /** Starts a worker for a new run and waits until its data is read and the run exists. */
  static create(launcher: WorkerLauncher, home: string, request: TrainRequest, fork?: ForkSource): Promise<TrainingSession> {
    return TrainingSession.open(launcher, home, (seq) => ({ type: 'configure', protocol: WORKER_PROTOCOL, seq, home, request, ...(fork ? { fork } : {}) }));
  }

  /** Starts a worker that continues an existing run from its last checkpoint (paused until told). */
  static reopen(launcher: WorkerLauncher, home: string, run: string, epochs?: number): Promise<TrainingSession> {
    return TrainingSession.open(launcher, home, (seq) => ({ type: 'reopen', protocol: WORKER_PROTOCOL, seq, home, run, ...(epochs ? { epochs } : {}) }));
  }

  private static async open(launcher: WorkerLauncher, home: string, command: (seq: number) => WorkerCommand): Promise<TrainingSession> {
    const session = new TrainingSession(launcher(), home);
    try {
      await session.request(command);
    } catch (error) {
      // A session that could not open has no use for its worker, which would otherwise keep the host running.
      session.kill();
      throw error;
    }
    return session;
  }

  get pid(): number | undefined {
    return this.worker.pid;
  }

  get finished(): boolean {
    return this.done;
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): Promise<Progress> { return this.command({ type: 'start' }); }
  pause(): Promise<Progress> { return this.command({ type: 'pause' }); }
  resume(): Promise<Progress> { return this.command({ type: 'resume' }); }
  step(count = 1): Promise<Progress> { return this.command({ type: 'step', count }); }
  setLearningRate(learningRate: number): Promise<Progress> { return this.command({ type: 'set', learningRate }); }
  setSpeed(stepsPerSecond: number | null): Promise<Progress> { return this.command({ type: 'speed', stepsPerSecond }); }
  /** From a rollback after divergence: trains on from the last good epoch at this learning rate. */
  continueAfterDivergence(learningRate: number): Promise<Progress> { return this.command({ type: 'continue', learningRate }); }

  /** Stops training, keeping what was learned; resolves when the run is saved. */
  async stop(): Promise<Progress> {
    return this.command({ type: 'stop' });
  }

  async snapshot(): Promise<Extract<WorkerEvent, { type: 'snapshot' }>> {
    const reply = await this.request((seq) => ({ type: 'snapshot', seq }));
    // The run's end answers every request still waiting, with where training stopped rather than weights.
    if (!('type' in reply) || reply.type !== 'snapshot') throw new Error('This training session has ended.');
    return reply;
  }

  /** Exactly one mini-batch, with the engine's trace of it. */
  async stepDetail(): Promise<Extract<WorkerEvent, { type: 'stepDetail' }>> {
    const reply = await this.request((seq) => ({ type: 'stepDetail', seq }));
    if (!('type' in reply) || reply.type !== 'stepDetail') throw new Error('This training session has ended.');
    this.update(reply.progress);
    return reply;
  }

  /** Ends the worker at once (the run is left as its last checkpoint). */
  kill(): void {
    this.worker.kill();
  }

  private async command(body: CommandBody): Promise<Progress> {
    return (await this.request((seq) => ({ ...body, seq }) as WorkerCommand)) as Progress;
  }

  private request(make: (seq: number) => WorkerCommand): Promise<Progress | WorkerEvent> {
    if (this.done) return Promise.reject(new Error('This training session has ended.'));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.worker.send(make(seq));
    });
  }

  private receive(message: unknown): void {
    const parsed = workerEventSchema.safeParse(message);
    if (!parsed.success) {
      this.emit({ type: 'warning', message: `The training process sent a malformed message (${parsed.error.issues[0]?.message}); it was ignored.` });
      return;
    }
    const event = parsed.data;
    switch (event.type) {
      case 'ready':
        this.run = event.run;
        this.warnings = event.warnings;
        this.update(event.progress);
        this.settle(1, event.progress);
        break;
      case 'ack':
        this.update(event.progress);
        this.settle(event.seq, event.progress);
        break;
      case 'progress':
        this.update(event.progress);
        break;
      case 'epochs':
        for (const metrics of event.metrics) this.epochs.push(metrics);
        break;
      case 'snapshot':
      case 'stepDetail':
        this.settle(event.seq, event);
        break;
      case 'error':
        if (event.seq !== null) this.fail(event.seq, new Error(event.message));
        // An error of no command (training itself failed) is why the worker is about to end.
        else if (event.fatal) this.failure = event.message;
        break;
      case 'done':
        this.done = true;
        this.update(event.progress);
        // A stop is answered by the run's end; so is any step or start still waiting.
        for (const seq of [...this.waiting.keys()]) this.settle(seq, event.progress);
        break;
      case 'health':
        this.health = event.health;
        break;
      case 'warning':
        break;
    }
    this.emit(event);
  }

  /**
   * A worker that exits cleanly has ended its run; if its last word never arrived, the run store says how the run
   * ended, and the session tells its listeners that, rather than a crash that did not happen.
   */
  private async endAsStored(): Promise<void> {
    if (!this.run || !this.progress) return;
    const store = new RunStore(this.home);
    const record = await store.get(this.run).catch(() => null);
    if (!record || !ENDED_STATUSES.has(record.status)) return;
    const state = record.status as 'finished' | 'stopped' | 'diverged';
    const progress: Progress = { ...this.progress, state, epoch: record.summary.epochs, step: record.summary.steps };
    this.receive({ type: 'done', progress, status: record.status, message: record.summary.message, model: store.modelPath(this.run) });
  }

  private update(progress: Progress): void {
    this.progress = progress;
    this.state = progress.state;
  }

  private settle(seq: number, value: Progress | WorkerEvent): void {
    this.waiting.get(seq)?.resolve(value);
    this.waiting.delete(seq);
  }

  private fail(seq: number, error: Error): void {
    this.waiting.get(seq)?.reject(error);
    this.waiting.delete(seq);
  }

  private emit(event: SessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async onExit(code: number | null, signal: string | null): Promise<void> {
    if (!this.done && code === 0) await this.endAsStored();
    const expected = this.done;
    let message = '';
    if (!expected) {
      const how = signal ? `was killed (${signal})` : `stopped unexpectedly (exit code ${code})`;
      message = this.failure ?? (this.run
        ? `The training process ${how}; run ${this.run} is left interrupted at its last checkpoint. ${advise('resume', this.run, true)}`
        : `The training process ${how} before the run began.`);
      if (this.run) await markInterrupted(new RunStore(this.home), this.run);
      this.state = 'failed';
      this.done = true;
      this.exitMessage = message;
    }
    for (const [, waiter] of this.waiting) waiter.reject(new Error(message || 'The training session has ended.'));
    this.waiting.clear();
    this.emit({ type: 'exit', expected, message });
  }
}

/** Statuses a run is left in by a worker that ended it. */
const ENDED_STATUSES: ReadonlySet<string> = new Set(['finished', 'stopped', 'diverged']);

/** A run whose worker died keeps its files; its status says it can be resumed. */
async function markInterrupted(store: RunStore, run: string): Promise<void> {
  try {
    await store.update(run, (r) => (['queued', 'training', 'paused'].includes(r.status) ? { ...r, status: 'interrupted', pid: null } : r));
  } catch {
    // The run folder itself is unreadable; the list will report it as damaged.
  }
}
