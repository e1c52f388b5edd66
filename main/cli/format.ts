import { heldOutSplit, SPLIT_LABELS, type SplitKey } from '../../common/baselines';
import type { QualityMetrics } from '../../common/model-spec';

/** Metrics as stored in a run, where a value that is not a number is null. */
export type StoredMetrics = QualityMetrics & { loss: number | null };

type Averaged = NonNullable<QualityMetrics['macroAvg']>;
type JsonMetrics = Record<string, number | null | Averaged | Record<string, number | string>[]>;

/**
 * A split's metrics as `--json` prints them (train, runs show, predict): snake_case keys, and only the ones
 * the split has, so a regression carries no per-class report and an older run no MAE.
 */
export function metricsJson(metrics: Partial<StoredMetrics> | null): JsonMetrics | null {
  if (!metrics) return null;
  const out: JsonMetrics = {};
  const numbers = [['loss', 'loss'], ['accuracy', 'accuracy'], ['balanced_accuracy', 'balancedAccuracy'], ['rmse', 'rmse'], ['mae', 'mae'], ['r2', 'r2']] as const;
  for (const [key, from] of numbers) if (metrics[from] !== undefined) out[key] = metrics[from] ?? null;
  if (metrics.perClass) out.per_class = metrics.perClass.map((m) => ({ class: m.class, precision: m.precision, recall: m.recall, f1: m.f1, support: m.support }));
  if (metrics.macroAvg) out.macro_avg = metrics.macroAvg;
  if (metrics.weightedAvg) out.weighted_avg = metrics.weightedAvg;
  return out;
}

export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(2);
  return value.toFixed(digits);
}

/** A statistic in at most five significant digits, without trailing zeros: 2700, 43.922, 0.00012. */
export function compactNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e9)) return value.toExponential(3);
  return String(Number(value.toPrecision(5)));
}

export function formatRate(samplesPerSecond: number): string {
  return `${Math.round(samplesPerSecond).toLocaleString('en-US')} samples/s`;
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : `${(value * 100).toFixed(1)}%`;
}

/** One line that redraws itself on a terminal: [=====>     ] epoch 12/200 · loss 0.1234 · 48,000 samples/s */
export function progressLine(epoch: number, epochs: number, loss: number, valLoss: number | null, rate: number, width = 24): string {
  const done = Math.min(width, Math.round((epoch / Math.max(1, epochs)) * width));
  const bar = `${'='.repeat(Math.max(0, done - 1))}${done > 0 ? '>' : ''}${' '.repeat(width - done)}`;
  const val = valLoss === null ? '' : ` · val ${formatNumber(valLoss)}`;
  return `[${bar}] epoch ${epoch}/${epochs} · loss ${formatNumber(loss)}${val} · ${formatRate(rate)}`;
}

/** A plain text table with a header row and columns padded to fit. */
export function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function metricsHeader(regression: boolean): string[] {
  return regression ? ['split', 'loss', 'RMSE', 'MAE', 'R²'] : ['split', 'loss', 'accuracy'];
}

export function metricsRow(label: string, metrics: StoredMetrics | null, regression: boolean): string[] {
  if (!metrics) return [label, '–', '–', ...(regression ? ['–', '–'] : [])];
  return regression
    ? [label, formatNumber(metrics.loss), formatNumber(metrics.rmse), formatNumber(metrics.mae), formatNumber(metrics.r2)]
    : [label, formatNumber(metrics.loss), formatPercent(metrics.accuracy)];
}

/**
 * A classifier's per-class report as lines of text (scikit-learn's classification_report, zero_division=0),
 * with its averages and balanced accuracy; no lines for a split without one (a regression, an older run).
 */
export function perClassLines(title: string, metrics: Partial<StoredMetrics> | null): string[] {
  if (!metrics?.perClass || !metrics.macroAvg || !metrics.weightedAvg) return [];
  const row = (label: string, m: Averaged, support: number): string[] => [label, formatNumber(m.precision), formatNumber(m.recall), formatNumber(m.f1), String(support)];
  const total = metrics.perClass.reduce((n, m) => n + m.support, 0);
  return [
    title,
    textTable([
      ['class', 'precision', 'recall', 'F1', 'support'],
      ...metrics.perClass.map((m) => row(m.class, m, m.support)),
      row('macro avg', metrics.macroAvg, total),
      row('weighted avg', metrics.weightedAvg, total),
    ]),
    `balanced accuracy ${formatPercent(metrics.balancedAccuracy)}`,
  ];
}

/** The per-class report of the held-out split a run is judged on: test, else validation. */
export function heldOutReport(summary: Record<SplitKey, StoredMetrics | null>): string[] {
  const split = heldOutSplit(summary);
  return split === 'train' ? [] : perClassLines(`Per class on the ${SPLIT_LABELS[split]} rows:`, summary[split]);
}
