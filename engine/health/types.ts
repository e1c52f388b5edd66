import type { Histogram } from './histogram';

export const HEALTH_WARNING_KINDS = [
  'dead-relu', 'saturated', 'vanishing-gradients', 'exploding-gradients', 'unscaled-inputs', 'imbalanced-target', 'plateau', 'oscillating-loss',
] as const;
export type HealthWarningKind = (typeof HEALTH_WARNING_KINDS)[number];

/** Something in training that looks wrong, in plain words with what to try; `layer` counts from 1, the output layer last. */
export interface HealthWarning {
  kind: HealthWarningKind;
  layer?: number;
  message: string;
}

/** One layer's histograms at one epoch: its weights, its activations and its weights' gradients on the sampled rows. */
export interface LayerHistograms {
  weights: Histogram;
  activations: Histogram;
  gradients: Histogram;
}

/** The histograms of every layer, measured at the end of one epoch. */
export interface HealthSnapshot {
  epoch: number;
  layers: LayerHistograms[];
}

export interface TrainingHealth {
  /** The epoch the warnings were measured at. */
  epoch: number;
  /** Each layer's name and activation, in order (the output layer last). */
  layers: { layer: number; activation: string; units: number }[];
  /** Snapshots oldest first, a bounded number, measured at most once an epoch. */
  history: HealthSnapshot[];
  warnings: HealthWarning[];
}
