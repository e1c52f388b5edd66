import type { HeldValue, PlaneAxis } from '../engine/boundary-plane';
import type { Pca } from '../engine/pca';

export type { HeldValue, PlaneAxis };

/** A row drawn on the decision boundary: its scaled network inputs, its label and the split it belongs to. */
export interface BoundaryRow {
  x: number[];
  label: string;
  split: 'training' | 'validation' | 'test';
}

/** What the renderer needs to draw a run's predictions over a plane of its inputs (LabApi boundaryData). */
export interface BoundaryData {
  run: string;
  /** The network's inputs by name ("petal_length", "Island=Biscoe"). */
  inputs: string[];
  /** The inputs that may run along an axis (numbers, not one-hot categories). */
  axes: PlaneAxis[];
  /** The scaled input row with every feature at its training median or most common category. */
  held: number[];
  heldValues: HeldValue[];
  /** The first two principal components of the scaled training inputs; null for fewer than two inputs. */
  pca: Pca | null;
  /** At most about 1,000 rows: training rows and the held-back ones (test, else validation), spread evenly over each. */
  rows: BoundaryRow[];
  /** Rows in the training split and in the held-back split, before any were left out of `rows`. */
  total: { training: number; heldBack: number };
}
