import type { RunEvaluation } from '../../../common/lab-api';

/**
 * Run evaluations for the Results view: the classifier's report is scikit-learn's classification_report
 * (zero_division=0) of the counts below; the regression has RMSE, MAE and R² only.
 */
export function evaluationFixture(task: 'binary' | 'multiclass' | 'regression'): RunEvaluation {
  const common = { run: 'r1', split: 'test' as const, features: ['x'], total: 12 };
  if (task === 'regression') {
    return {
      ...common, task, target: 'price', classes: null, confusion: null,
      metrics: { loss: 0.02, rmse: 12.5, mae: 9.75, r2: 0.97 },
      rows: [{ features: [1], truth: 100, prediction: 104 }, { features: [2], truth: 200, prediction: 190 }].map((r) => ({ ...r, probabilities: null })),
    };
  }
  return {
    ...common, task, target: 'kind', classes: ['a', 'b', 'c'],
    confusion: [[3, 1, 0], [1, 2, 0], [2, 2, 1]],
    metrics: {
      loss: 0.9,
      accuracy: 0.5,
      balancedAccuracy: 0.5388888888888889,
      perClass: [
        { class: 'a', precision: 0.5, recall: 0.75, f1: 0.6, support: 4 },
        { class: 'b', precision: 0.4, recall: 0.6666666666666666, f1: 0.5, support: 3 },
        { class: 'c', precision: 1, recall: 0.2, f1: 0.33333333333333337, support: 5 },
      ],
      macroAvg: { precision: 0.6333333333333333, recall: 0.5388888888888889, f1: 0.47777777777777786 },
      weightedAvg: { precision: 0.6833333333333332, recall: 0.5, f1: 0.46388888888888885 },
    },
    rows: [{ features: [1], truth: 'a', prediction: 'a', probabilities: [0.7, 0.2, 0.1] }],
  };
}
