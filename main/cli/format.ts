/** Metrics as stored in a run, where a value that is not a number is null. */
export interface StoredMetrics {
  loss: number | null;
  accuracy?: number | null | undefined;
  rmse?: number | null | undefined;
  r2?: number | null | undefined;
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

export function metricsRow(label: string, metrics: StoredMetrics | null, regression: boolean): string[] {
  if (!metrics) return [label, '–', '–', ...(regression ? ['–'] : [])];
  return regression
    ? [label, formatNumber(metrics.loss), formatNumber(metrics.rmse), formatNumber(metrics.r2)]
    : [label, formatNumber(metrics.loss), formatPercent(metrics.accuracy)];
}

/** A split's metrics as `--json` prints them: loss, then whichever of accuracy, RMSE and R² the run has. */
export function metricsJson(metrics: StoredMetrics | null): Record<string, number | null> | null {
  if (!metrics) return null;
  const out: Record<string, number | null> = { loss: metrics.loss };
  for (const key of ['accuracy', 'rmse', 'r2'] as const) if (metrics[key] !== undefined) out[key] = metrics[key] ?? null;
  return out;
}
