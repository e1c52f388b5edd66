import type { RunRecord } from '../../../common/run-record';

/** A vertical mark on the loss chart at a step, with the words that say what happened there. */
export interface ChartMark {
  step: number;
  text: string;
  /** The few words drawn on the chart next to the line. */
  short: string;
}

/**
 * The marks of a run, read from its record (run.json) so that a reload shows them too: every learning rate set
 * while paused, and every rollback after divergence, in the order of their steps.
 */
export function chartMarks(record: RunRecord | null): ChartMark[] {
  if (!record) return [];
  const marks: ChartMark[] = [];
  for (const change of record.settingChanges) {
    if (change.setting !== 'learningRate') continue;
    marks.push({ step: change.step, text: `step ${change.step}: learning rate ${String(change.from)} → ${String(change.to)}`, short: `rate ${String(change.to)}` });
  }
  for (const event of record.events ?? []) {
    marks.push({ step: event.step, text: `step ${event.step}: diverged, rolled back to epoch ${event.epoch}`, short: 'rolled back' });
  }
  // Stable: a rollback and the rate then chosen keep the order they happened in.
  return marks.sort((a, b) => a.step - b.step);
}
