import type { LabEvent, RunStepTrace, SessionInfo, SessionStatus, SnapshotLayer } from '../../common/lab-api';
import { loadModel } from '../model-file';
import type { TrainingHealth } from '../../engine/health';
import type { RunStore } from '../store/run-store';
import type { TrainRequest } from '../../common/settings';
import type { ForkSource } from '../../common/fork-source';
import { LabError } from './lab-error';
import { TrainingSession } from './training-session';
import type { WorkerLauncher } from './worker-launcher';

/** How long a session that is not training waits to be told something before it is stopped. */
export const IDLE_SESSION_MS = 30 * 60_000;

/** Training processes one lab keeps at once. */
export const MAX_LIVE_SESSIONS = 12;

/**
 * The runs training in this lab, one worker each, by run id. Commands answer with the session's status; only
 * listing the sessions (and opening one) reads each run's history, for a window that must redraw its charts.
 */
export class SessionRegistry {
  private readonly live = new Map<string, TrainingSession>();
  private readonly reopening = new Map<string, Promise<SessionInfo>>();
  /** When each session not training is ended for want of use. */
  private readonly idleTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly home: string,
    private readonly store: RunStore,
    private readonly launcher: WorkerLauncher,
    private readonly emit: (event: LabEvent) => void,
    private readonly idleMs = IDLE_SESSION_MS,
  ) {}

  has(run: string): boolean {
    return this.live.has(run);
  }

  async create(request: TrainRequest, fork?: ForkSource): Promise<SessionInfo> {
    this.roomForOneMore();
    return this.adopt(await TrainingSession.create(this.launcher, this.home, request, fork));
  }

  async resume(run: string, epochs?: number): Promise<SessionInfo> {
    const live = this.live.get(run);
    if (live && !live.finished) return this.info(run, live);
    // A run that has just ended still has its worker for a moment; resuming waits for it to go.
    if (live) await live.exited;
    // A run that is not there (or a name that is no run id) is said so here, without starting a training process.
    else await this.store.get(run);
    // A second call while the first is still starting its worker shares it, rather than training the run twice.
    const opening = this.reopening.get(run);
    if (opening) return opening;
    this.roomForOneMore();
    const reopened = TrainingSession.reopen(this.launcher, this.home, run, epochs).then((session) => this.adopt(session));
    this.reopening.set(run, reopened);
    try {
      return await reopened;
    } finally {
      this.reopening.delete(run);
    }
  }

  list(): Promise<SessionInfo[]> {
    return Promise.all([...this.live.entries()].map(([run, session]) => this.info(run, session)));
  }

  async start(run: string): Promise<SessionStatus> { await this.session(run).start(); return this.status(run); }
  async pause(run: string): Promise<SessionStatus> { await this.session(run).pause(); return this.status(run); }
  async resumeTraining(run: string): Promise<SessionStatus> { await this.session(run).resume(); return this.status(run); }
  async step(run: string, count: number): Promise<SessionStatus> { await this.session(run).step(count); return this.status(run); }
  async stepInDetail(run: string): Promise<RunStepTrace> {
    const session = this.session(run);
    const { trace } = await session.stepDetail();
    // A step that ended training leaves the run's session for its saved record.
    return { run, status: await this.status(run, session), trace };
  }

  async setSpeed(run: string, stepsPerSecond: number | null): Promise<SessionStatus> {
    await this.session(run).setSpeed(stepsPerSecond);
    return this.status(run);
  }

  async setLearningRate(run: string, learningRate: number): Promise<SessionStatus> {
    await this.session(run).setLearningRate(learningRate);
    return this.status(run);
  }

  async continueAfterDivergence(run: string, learningRate: number): Promise<SessionStatus> {
    await this.session(run).continueAfterDivergence(learningRate);
    return this.status(run);
  }

  async stop(run: string): Promise<SessionStatus> {
    const session = this.session(run);
    await session.stop();
    // The session may have left the registry as its worker ended: it still says how the run ended.
    return this.status(run, session);
  }

  /** The weights now: from the training process while the run trains, else from its saved model. */
  async snapshot(run: string): Promise<SnapshotLayer[]> {
    const live = this.live.get(run);
    if (live && !live.finished) {
      try {
        return (await live.snapshot()).layers;
      } catch (error) {
        // A run that ended meanwhile has saved its model: the weights are read from there.
        if (!live.finished) throw error;
      }
    }
    const model = await loadModel(this.store.modelPath(run)).catch(() => {
      throw new LabError(`Run ${run} is not training and has no saved model yet.`);
    });
    let inputs = model.spec.inputs;
    return model.layers.map((layer, i) => {
      const spec = model.spec.layers[i]!;
      const snapshot = { inputs, units: spec.units, activation: spec.activation, weights: layer.weights, bias: layer.bias };
      inputs = spec.units;
      return snapshot;
    });
  }

  /** The run's training health: as last measured while it trains, else as it ended. */
  async health(run: string): Promise<TrainingHealth | null> {
    const live = this.live.get(run)?.health;
    if (live) return live;
    return (await this.store.get(run)).summary.health ?? null;
  }

  /** Ends every worker (the runs stay as their last checkpoints). */
  shutdown(): void {
    for (const session of this.live.values()) session.kill();
  }

  /** Each session is a process: a lab keeps a bounded number of them, whoever asks. */
  private roomForOneMore(): void {
    if (this.live.size + this.reopening.size >= MAX_LIVE_SESSIONS) {
      throw new LabError(`${MAX_LIVE_SESSIONS} runs are already open in this lab; stop or finish one before opening another.`);
    }
  }

  private session(run: string): TrainingSession {
    const session = this.live.get(run);
    if (!session) throw new LabError(`Run ${run} is not training in this lab; resume it first.`);
    this.keepAlive(run);
    return session;
  }

  /** A session that is told nothing for a while, and is not training, is stopped: its run is saved and can be resumed. */
  private keepAlive(run: string): void {
    clearTimeout(this.idleTimers.get(run));
    const timer = setTimeout(() => {
      const session = this.live.get(run);
      if (!session || session.finished) return;
      if (session.state === 'training') this.keepAlive(run);
      else void session.stop().catch(() => {});
    }, this.idleMs);
    // An idle session is no reason for the host to stay up.
    timer.unref?.();
    this.idleTimers.set(run, timer);
  }

  private async adopt(session: TrainingSession): Promise<SessionInfo> {
    const run = session.run;
    this.live.set(run, session);
    this.keepAlive(run);
    session.subscribe((event) => {
      switch (event.type) {
        case 'progress': this.emit({ type: 'progress', run, progress: event.progress }); break;
        case 'epochs': this.emit({ type: 'epochs', run, metrics: event.metrics }); break;
        case 'done':
          // A run can end within its first slice, before any progress message: windows still see where it ended.
          this.emit({ type: 'progress', run, progress: event.progress });
          this.emit({ type: 'done', run, status: event.status, message: event.message });
          this.emit({ type: 'runs-changed' });
          break;
        case 'warning': this.emit({ type: 'warning', run, message: event.message }); break;
        case 'exit':
          this.live.delete(run);
          clearTimeout(this.idleTimers.get(run));
          this.idleTimers.delete(run);
          if (!event.expected) this.emit({ type: 'ended', run, message: event.message });
          this.emit({ type: 'runs-changed' });
          break;
        default: break;
      }
    });
    this.emit({ type: 'runs-changed' });
    return this.info(run, session);
  }

  private async status(run: string, session = this.session(run)): Promise<SessionStatus> {
    const record = await this.store.get(run).catch(() => null);
    return { run, name: record?.name ?? run, state: session.state, progress: session.progress, warnings: session.warnings };
  }

  private async info(run: string, session: TrainingSession): Promise<SessionInfo> {
    return { ...(await this.status(run, session)), epochs: await this.store.readMetrics(run) };
  }
}
