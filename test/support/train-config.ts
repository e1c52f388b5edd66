import { DEFAULT_OPTIMIZER, DEFAULT_SCHEDULE, type TrainConfig } from '../../engine';

/**
 * The training settings the engine-level tests start from and override. They are the tests' own (the product's
 * defaults are TRAINING_DEFAULTS): the recorded expectations and checkpoint fixtures were made with them.
 */
const TEST_TRAIN_CONFIG: Readonly<TrainConfig> = {
  epochs: 100,
  batchSize: 32,
  learningRate: 0.01,
  optimizer: DEFAULT_OPTIMIZER,
  schedule: DEFAULT_SCHEDULE,
  shuffle: true,
  earlyStopPatience: null,
  seed: 1,
};

/** The base settings with some of them changed. */
export function testConfig(over: Partial<TrainConfig> = {}): TrainConfig {
  return { ...TEST_TRAIN_CONFIG, ...over };
}
