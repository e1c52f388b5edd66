import { baselineVerdict, heldOutSplit, SPLIT_LABELS, type RunBaselines } from '../../common/baselines';
import type { RunRecord } from '../../common/run-record';
import { formatNumber, formatPercent, metricsHeader, metricsJson, metricsRow, textTable, type StoredMetrics } from './format';

type Summary = RunRecord['summary'];

function splitsJson(model: { train: StoredMetrics | null; val: StoredMetrics | null; test: StoredMetrics | null }) {
  return { train: metricsJson(model.train), val: metricsJson(model.val), test: metricsJson(model.test) };
}

/** `baselines` in `--json`: {"majority" or "mean": {train, val, test}, "linear": {train, val, test} or null}; null for a run without. */
export function baselinesJson(baselines: RunBaselines | undefined): Record<string, ReturnType<typeof splitsJson> | null> | null {
  if (!baselines) return null;
  return { [baselines.constant.name]: splitsJson(baselines.constant), linear: baselines.linear ? splitsJson(baselines.linear) : null };
}

/** The network's loss and accuracy (or RMSE, MAE and R²) on each split, then each baseline's on the held-out split. */
export function resultsTable(summary: Summary, regression: boolean): string {
  return textTable([
    metricsHeader(regression),
    metricsRow('train', summary.train, regression),
    metricsRow('validation', summary.val, regression),
    metricsRow('test', summary.test, regression),
    ...baselineRows(summary, regression),
  ]);
}

/** Rows for the results table under the network's: each baseline on the held-out split. */
function baselineRows(summary: Summary, regression: boolean): string[][] {
  const baselines = summary.baselines;
  if (!baselines) return [];
  const split = heldOutSplit(summary);
  const on = SPLIT_LABELS[split];
  const rows = [metricsRow(`${baselines.constant.name} baseline, ${on}`, baselines.constant[split], regression)];
  if (baselines.linear && !baselines.linear.itself) rows.push(metricsRow(`linear baseline, ${on}`, baselines.linear[split], regression));
  return rows;
}

/** What the baselines say about the network: how the linear one was limited or left out, then the verdict. */
export function baselineLines(summary: Summary, regression: boolean): string[] {
  const baselines = summary.baselines;
  if (!baselines) return [];
  const verdict = baselineVerdict(summary, baselines, regression, regression ? (v) => formatNumber(v) : formatPercent);
  return [baselines.note, verdict?.sentence ?? ''].filter((line) => line !== '');
}
