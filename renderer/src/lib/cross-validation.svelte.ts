import type { FoldOf, MetricValues } from '../../../common/experiment';
import type { CrossValidationChoice, FoldSessionInfo, LabClient } from '../../../common/lab-api';
import type { ExperimentRef } from '../../../common/settings';
import { errorMessage } from './format';
import type { BenchRun, RunPlan } from './session.svelte';

/** How often a fold's record is read while it trains, in case its end is not heard. */
const STORED_CHECK_MS = 2000;

export interface FoldResult {
  fold: number;
  run: string;
  status: string;
  test: MetricValues | null;
}

/**
 * A cross-validation experiment trained from the bench: its folds one after another, each a run on the bench
 * (so the charts follow the fold training), and each finished fold's test metrics.
 */
export class CrossValidation {
  /** The folds asked for in the Train view; null trains a single run. */
  folds = $state<number | null>(null);
  experiment = $state.raw<FoldOf | null>(null);
  /** The fold training now (from 1), or null. */
  current = $state<number | null>(null);
  results = $state.raw<FoldResult[]>([]);
  error = $state<string | null>(null);

  constructor(private readonly lab: LabClient, private readonly run: BenchRun) {}

  get running(): boolean { return this.current !== null; }

  /** The run's last state: from the bench's events, or from its record should an event be missed. */
  private async ended(run: string): Promise<string> {
    let done = false;
    const stored = async (): Promise<string> => {
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, STORED_CHECK_MS));
        const status = await this.lab.getRun(run).then((r) => r.run.status, () => null);
        if (status && !['queued', 'training', 'paused'].includes(status)) return status;
      }
      return '';
    };
    try {
      return await Promise.race([this.run.whenEnded(run), stored()]);
    } finally {
      done = true;
    }
  }

  clear(): void {
    this.experiment = null;
    this.results = [];
    this.error = null;
  }

  /** Trains fold 1 to K; a fold that fails, diverges or is stopped ends the experiment there, saying so. */
  async train(datasetId: string, plan: RunPlan, folds: number): Promise<void> {
    this.clear();
    let experiment: ExperimentRef | null = null;
    try {
      for (let index = 0; index < folds; index++) {
        this.current = index + 1;
        const cv: CrossValidationChoice = { folds, index, experiment };
        const info: FoldSessionInfo | null = await this.run.startNew(() => this.lab.createFoldSession(datasetId, plan.roles, plan.settings, cv));
        if (!info) {
          this.error = `Fold ${index + 1} of ${folds} could not start: ${this.run.error ?? 'the lab refused it'}`;
          return;
        }
        this.experiment = info.experiment;
        experiment = { id: info.experiment.id, name: info.experiment.name };
        const state = await this.ended(info.run);
        const { run } = await this.lab.getRun(info.run);
        this.results = [...this.results, { fold: index + 1, run: info.run, status: run.status, test: run.summary.test }];
        if (state !== 'finished') {
          this.error = `Fold ${index + 1} of ${folds} ended ${state}${index + 1 < folds ? '; the folds after it were not trained' : ''}.`;
          return;
        }
      }
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.current = null;
    }
  }
}
