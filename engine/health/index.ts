export { HealthProbe, KEPT_SNAPSHOTS, SAMPLE_ROWS } from './health-probe';
export { histogram, HISTOGRAM_BINS, type Histogram } from './histogram';
export type { DataFacts } from './data-warnings';
export { HEALTH_WARNING_KINDS, type HealthSnapshot, type HealthWarning, type HealthWarningKind, type LayerHistograms, type TrainingHealth } from './types';
