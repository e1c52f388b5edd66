import {
  Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Tooltip,
  type ChartOptions,
} from 'chart.js';
import { THEME_CHANGE_EVENT } from './theme';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);

export { Chart };

/** A CSS custom property of the page (the theme), read when a chart is drawn. */
export function themeColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** "#2f6fdb" with an opacity, as "#2f6fdb80"; other colour forms are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  if (!/^#[0-9a-f]{6}$/i.test(color)) return color;
  return color + Math.round(Math.min(1, Math.max(0, alpha)) * 255).toString(16).padStart(2, '0');
}

export interface Theme {
  fg: string;
  muted: string;
  border: string;
  panel: string;
}

export function currentTheme(): Theme {
  return { fg: themeColor('--fg'), muted: themeColor('--muted'), border: themeColor('--border'), panel: themeColor('--panel') };
}

/** Calls back when the page switches between light and dark (the theme chosen, or the system's under System). */
export function onThemeChange(callback: () => void): () => void {
  window.addEventListener(THEME_CHANGE_EVENT, callback);
  return () => window.removeEventListener(THEME_CHANGE_EVENT, callback);
}

export interface AxisOptions {
  title: string;
  log?: boolean;
  min?: number;
  max?: number;
}

function axis(theme: Theme, options: AxisOptions, extra: Record<string, unknown> = {}) {
  return {
    type: options.log ? 'logarithmic' : 'linear',
    min: options.min,
    max: options.max,
    title: { display: true, text: options.title, color: theme.muted },
    grid: { color: theme.border },
    ticks: { color: theme.muted, maxTicksLimit: 7 },
    ...extra,
  } as const;
}

/**
 * Options for charts of series: no animation, pre-sorted {x, y} data (no parsing), hover values along x,
 * the theme's colours. Built whole every time (Chart.js's option proxies are not meant to be spread).
 */
export function seriesChartOptions(theme: Theme, x: AxisOptions, y: AxisOptions, y2: AxisOptions | null, tooltip: {
  label: (dataset: string, y: number) => string;
  title: (x: number) => string;
}): ChartOptions<'line'> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    spanGaps: true,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hitRadius: 6, hoverRadius: 3 }, line: { tension: 0 } },
    scales: {
      x: axis(theme, x),
      y: axis(theme, y),
      ...(y2 ? { y2: axis(theme, y2, { position: 'right', grid: { drawOnChartArea: false, color: theme.border } }) } : {}),
    } as ChartOptions<'line'>['scales'],
    plugins: {
      legend: { position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 2, color: theme.fg } },
      tooltip: {
        enabled: true,
        backgroundColor: theme.panel,
        titleColor: theme.fg,
        bodyColor: theme.fg,
        borderColor: theme.border,
        borderWidth: 1,
        callbacks: {
          label: (item) => tooltip.label(item.dataset.label ?? '', (item.raw as { y: number }).y),
          title: (items) => (items[0] ? tooltip.title((items[0].raw as { x: number }).x) : ''),
        },
      },
    },
  };
}
