import type { Progress } from '../../../common/worker-protocol';

const grouped = new Intl.NumberFormat('en-US');
const speed = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** 3400 → "3,400". */
export function formatCount(value: number): string {
  return grouped.format(value);
}

/** A loss or metric with three significant digits, without exponents for ordinary values: 0.0213, 1.25, 1,240. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e7)) return value.toExponential(digits - 1);
  if (abs >= 10 ** digits) return grouped.format(Math.round(value));
  return String(Number(value.toPrecision(digits)));
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${(value * 100).toFixed(1)} %`;
}

/** A metric as tables show it: accuracy in percent, the others in three significant digits. */
export function formatMetric(key: string, value: unknown): string {
  const number = typeof value === 'number' ? value : null;
  return key === 'accuracy' || key === 'balancedAccuracy' ? formatPercent(number) : formatNumber(number);
}

function formatSpeed(samplesPerSecond: number): string {
  return `${speed.format(Math.round(samplesPerSecond))} samples/s`;
}

export const STATE_LABELS: Record<string, string> = {
  idle: 'Idle',
  loading: 'Loading',
  ready: 'Ready',
  training: 'Training',
  paused: 'Paused',
  'rolled-back': 'Rolled back',
  finished: 'Finished',
  stopped: 'Stopped',
  diverged: 'Diverged',
  failed: 'Failed',
  interrupted: 'Interrupted',
  queued: 'Queued',
};

/** The epoch a person is in, as the run's messages count it: that of the step last taken (from 1). */
function displayEpoch(progress: Pick<Progress, 'state' | 'epoch' | 'epochs' | 'stepEpoch'>): number {
  if (progress.stepEpoch) return progress.stepEpoch;
  // A stored run's record, or an older host: the epochs done once training has ended, else the one under way.
  if (progress.state === 'finished' || progress.state === 'diverged' || progress.state === 'stopped') return progress.epoch;
  return Math.min(progress.epoch + 1, progress.epochs);
}

/** "Training · epoch 12 · step 3,400 · loss 0.0213 · 48,000 samples/s". */
export function statusLine(state: string, progress: Progress | null): string {
  const label = STATE_LABELS[state] ?? state;
  if (!progress) return label;
  const parts = [label, `epoch ${formatCount(displayEpoch(progress))}`, `step ${formatCount(progress.step)}`];
  if (progress.loss !== null && progress.loss !== undefined) parts.push(`loss ${formatNumber(progress.loss)}`);
  if (progress.samplesPerSecond > 0) parts.push(formatSpeed(progress.samplesPerSecond));
  return parts.join(' · ');
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A date short enough for a table cell on one line ("Dec 2, 03:07"; the year only when it is not this one). */
export function formatShortDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const year = date.getFullYear() === new Date().getFullYear() ? undefined : 'numeric';
  return date.toLocaleString(undefined, { year, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^(Lab)?Error: /, '');
}

/** A failure about a file, named once: the file's name goes first unless the message already names it. */
export function errorAbout(name: string, error: unknown): string {
  const text = errorMessage(error);
  return name === '' || text.includes(name) ? text : `${name}: ${text}`;
}
