import { stringify } from 'csv-stringify/sync';
import type { EpochMetrics } from '../../engine/trainer';

/** One row per epoch: epoch, step, learning rate, then loss and accuracy or RMSE/R² for training and validation. */
export function metricsToCsv(metrics: EpochMetrics[]): string {
  const keys = ['loss', 'accuracy', 'rmse', 'r2'] as const;
  const present = (split: 'train' | 'val') => keys.filter((k) => metrics.some((m) => m[split]?.[k] !== undefined));
  const columns = [...present('train').map((k) => ['train', k] as const), ...present('val').map((k) => ['val', k] as const)];
  const rows = metrics.map((m) => [m.epoch, m.step, m.learningRate, ...columns.map(([split, key]) => m[split]?.[key] ?? '')]);
  return stringify([['epoch', 'step', 'learning_rate', ...columns.map(([split, key]) => `${split}_${key}`)], ...rows]);
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A line chart of one or more series against epochs, as a standalone SVG document. */
function lineChartSvg(title: string, series: { name: string; color: string; values: (number | null | undefined)[] }[], logScale = false): string {
  const width = 640;
  const height = 360;
  const pad = { left: 64, right: 16, top: 36, bottom: 40 };
  const all = series.flatMap((s) => s.values).filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && (!logScale || v > 0));
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const transform = (v: number) => (logScale ? Math.log10(v) : v);
  const low = all.length ? Math.min(...all.map(transform)) : 0;
  const high = all.length ? Math.max(...all.map(transform)) : 1;
  const span = high - low || 1;
  const x = (i: number) => pad.left + (n === 1 ? 0 : (i / (n - 1)) * (width - pad.left - pad.right));
  const y = (v: number) => pad.top + (1 - (transform(v) - low) / span) * (height - pad.top - pad.bottom);
  const ticks = Array.from({ length: 5 }, (_, i) => low + (span * i) / 4);
  const label = (t: number) => (logScale ? Number((10 ** t).toPrecision(3)) : Number(t.toPrecision(3))).toString();
  const lines = series.map((s) => {
    const points = s.values.map((v, i) => (typeof v === 'number' && Number.isFinite(v) && (!logScale || v > 0) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null)).filter(Boolean);
    return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points.join(' ')}"><title>${escape(s.name)}</title></polyline>`;
  });
  const legend = series.map((s, i) => `<text x="${pad.left + 8 + i * 140}" y="${pad.top - 10}" fill="${s.color}" font-size="12">■ ${escape(s.name)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${escape(title)}</text>
${ticks.map((t) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(logScale ? 10 ** t : t)}" y2="${y(logScale ? 10 ** t : t)}" stroke="#ddd"/><text x="${pad.left - 6}" y="${y(logScale ? 10 ** t : t) + 4}" text-anchor="end" font-size="11">${label(t)}</text>`).join('\n')}
<text x="${width / 2}" y="${height - 8}" text-anchor="middle" font-size="12">epoch (1 to ${n})</text>
${legend.join('\n')}
${lines.join('\n')}
</svg>
`;
}

export function metricsCharts(metrics: EpochMetrics[], regression: boolean): Record<string, string> {
  const charts: Record<string, string> = {
    'loss.svg': lineChartSvg('Loss', [
      { name: 'training', color: '#1f77b4', values: metrics.map((m) => m.train.loss) },
      { name: 'validation', color: '#ff7f0e', values: metrics.map((m) => m.val?.loss) },
    ], true),
  };
  const key = regression ? 'rmse' : 'accuracy';
  charts[`${key}.svg`] = lineChartSvg(regression ? 'RMSE' : 'Accuracy', [
    { name: 'training', color: '#1f77b4', values: metrics.map((m) => m.train[key]) },
    { name: 'validation', color: '#ff7f0e', values: metrics.map((m) => m.val?.[key]) },
  ]);
  return charts;
}
