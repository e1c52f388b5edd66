import type { BoundaryData, BoundaryRow } from '../../common/boundary-data';
import { heldInputs, planeAxes } from '../../engine/boundary-plane';
import { inputNames, inputWidth, type Preprocessing } from '../../engine/data/preprocessing';
import type { Split } from '../../engine/metrics';
import { fitPca } from '../../engine/pca';
import type { RunStore } from '../store/run-store';
import { readRunData } from './run-data';

/** The most rows sent to be drawn: enough to show the data's shape, few enough to draw at every snapshot. */
const MAX_ROWS = 1000;

/**
 * A run's rows on its own scaling, with the centre its other features are held at and the principal plane of its
 * training inputs: what a window needs to draw the network's predictions over any two inputs.
 */
export async function runBoundaryData(store: RunStore, id: string): Promise<BoundaryData> {
  const record = await store.get(id);
  const { data } = await readRunData(record.request);
  const p = data.preprocessing;
  const width = inputWidth(p);
  const { train } = data;
  const heldBack = data.test && data.test.rows > 0 ? { split: data.test, name: 'test' as const } : { split: data.val, name: 'validation' as const };
  const { held, values } = heldInputs(p, train.x, train.rows);
  const all = train.rows + heldBack.split.rows;
  const trainQuota = all <= MAX_ROWS ? train.rows : Math.round((MAX_ROWS * train.rows) / all);
  const heldQuota = all <= MAX_ROWS ? heldBack.split.rows : MAX_ROWS - trainQuota;
  return {
    run: id,
    inputs: inputNames(p),
    axes: planeAxes(p),
    held: Array.from(held),
    heldValues: values,
    pca: width >= 2 ? fitPca(train.x, train.rows, width, 2) : null,
    rows: [...spread(train, trainQuota, 'training', p, width), ...spread(heldBack.split, heldQuota, heldBack.name, p, width)],
    total: { training: train.rows, heldBack: heldBack.split.rows },
  };
}

/** `count` rows spread evenly over the split, each with its label as the person knows it. */
function spread(split: Split, count: number, name: BoundaryRow['split'], p: Preprocessing, width: number): BoundaryRow[] {
  const rows: BoundaryRow[] = [];
  const outputs = split.rows > 0 ? split.y.length / split.rows : 1;
  for (let i = 0; i < count; i++) {
    const r = Math.floor((i * split.rows) / count);
    rows.push({ x: Array.from(split.x.subarray(r * width, (r + 1) * width)), label: labelOf(split.y, r, outputs, p), split: name });
  }
  return rows;
}

function labelOf(y: Split['y'], row: number, outputs: number, p: Preprocessing): string {
  const target = p.target;
  if (target.kind === 'value') return String(Number((y[row]! * target.std + target.mean).toPrecision(6)));
  if (outputs === 1) return target.classes[y[row]! >= 0.5 ? 1 : 0] ?? '';
  let best = 0;
  for (let k = 1; k < outputs; k++) if (y[row * outputs + k]! > y[row * outputs + best]!) best = k;
  return target.classes[best] ?? '';
}
