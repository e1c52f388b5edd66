import type { SnapshotLayer } from '../../../common/lab-api';
import { formatNumber, formatPercent } from './format';

/**
 * The words the network diagram reads out for a node or a link, and which units of a wide layer it draws.
 * Layers count as the diagram draws them: 0 is the inputs, the last is the outputs, the rest are hidden.
 */

/** "input 2", "hidden 1.3" (hidden layer 1, unit 3) or "output 1", as a link names its ends. */
export function unitName(layer: number, unit: number, layers: number): string {
  if (layer === 0) return `input ${unit + 1}`;
  if (layer === layers - 1) return `output ${unit + 1}`;
  return `hidden ${layer}.${unit + 1}`;
}

export function linkReading(weights: SnapshotLayer, from: number, to: number, layer: number, layers: number): string {
  return `Weight from ${unitName(layer, from, layers)} to ${unitName(layer + 1, to, layers)}: ${formatNumber(weights.weights[from * weights.units + to]!)}`;
}

const ACTIVE_WORDS: Record<string, string> = { relu: 'non-zero', leaky_relu: 'on its positive side', sigmoid: 'above 0.5', tanh: 'above 0' };

/** A node's reading: its place, its bias, and how it behaved on the last mini-batch when the snapshot says. */
export function nodeReading(layer: number, unit: number, layers: number, weights: SnapshotLayer | null, inputLabel?: string): string {
  if (layer === 0) return `Input ${unit + 1}${inputLabel ? ` (${inputLabel})` : ''}`;
  const place = layer === layers - 1 ? `Output unit ${unit + 1}` : `Hidden layer ${layer} unit ${unit + 1}`;
  if (!weights) return place;
  const parts = [place, weights.bias ? `bias ${formatNumber(weights.bias[unit]!)}` : 'no bias'];
  const stats = weights.stats;
  if (stats) {
    parts.push(`mean activation ${formatNumber(stats.mean[unit]!)} on the last mini-batch of ${stats.rows} rows`);
    const active = ACTIVE_WORDS[weights.activation];
    if (active) parts.push(`${active} on ${formatPercent(stats.active[unit]!)} of it`);
    parts.push(`min ${formatNumber(stats.min[unit]!)}`, `max ${formatNumber(stats.max[unit]!)}`);
  } else {
    parts.push('no activation statistics: they are measured while the run trains');
  }
  return parts.join(', ');
}

/**
 * The units of a layer of n to draw when only `room` fit, in their order: the most active ones on the last
 * mini-batch (mean |activation|), else those with the largest weights in and out, else the first.
 */
export function unitsShown(n: number, room: number, into: SnapshotLayer | null, outOf: SnapshotLayer | null): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= room) return all;
  const score = new Float64Array(n);
  if (into?.stats) {
    for (let u = 0; u < n; u++) score[u] = into.stats.meanAbs[u]!;
  } else {
    if (into) for (let k = 0; k < into.inputs; k++) for (let u = 0; u < n; u++) score[u]! += Math.abs(into.weights[k * n + u]!);
    if (outOf) for (let u = 0; u < n; u++) for (let j = 0; j < outOf.units; j++) score[u]! += Math.abs(outOf.weights[u * outOf.units + j]!);
  }
  // A stable sort: ties (and a layer with nothing to rank by) keep the first units.
  return all.sort((a, b) => score[b]! - score[a]!).slice(0, room).sort((a, b) => a - b);
}
