import { describe, expect, it } from 'vitest';
import { balancedAccuracy } from '../../main/bench/quality-metrics';
import { qualityRows, secondRows, spread, summarizeQuality, testRowNotes, type DatasetShape, type QualityMeasurement } from '../../main/bench/quality-report';

const m = (dataset: string, seed: number, peer: string, metrics: Partial<QualityMeasurement>, testRows = 40): QualityMeasurement =>
  ({ bench: 'quality', dataset, seed, peer, seconds: 1, epochs: 10, test_rows: testRows, ...metrics });

const shapes: DatasetShape[] = [
  { id: 'flowers', task: 'classification', rows: 160, features: 4, classes: 3 },
  { id: 'prices', task: 'regression', rows: 20000, features: 8, classes: null },
];

// Listed out of order, as parallel runs finish: the report puts nnlab first and scikit-learn's MLPs in their order.
const measurements: QualityMeasurement[] = [
  m('flowers', 1, 'sklearn 64-32', { accuracy: 0.95, balanced_accuracy: 0.9 }),
  m('flowers', 1, 'nnlab', { accuracy: 0.9, balanced_accuracy: 0.85 }, 38),
  m('flowers', 2, 'nnlab', { accuracy: 0.8, balanced_accuracy: 0.75 }, 39),
  m('flowers', 1, 'sklearn default', { accuracy: 0.97, balanced_accuracy: 0.96 }),
  m('flowers', 2, 'sklearn default', { accuracy: 0.93, balanced_accuracy: 0.92 }),
  m('flowers', 2, 'sklearn 64-32', { accuracy: 0.99, balanced_accuracy: 0.98 }),
  m('prices', 1, 'nnlab', { r2: 0.9, rmse: 2 }, 5000),
  m('prices', 2, 'nnlab', { r2: 0.8, rmse: 3 }, 5000),
  m('prices', 1, 'sklearn default', { r2: 0.7, rmse: 4 }, 5000),
  m('prices', 2, 'sklearn default', { r2: 0.6, rmse: 5 }, 5000),
];

describe('the quality report', () => {
  it('gives the mean and the sample standard deviation over seeds', () => {
    expect(spread([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(5 / 3), n: 4 });
    expect(spread([0.5])).toEqual({ mean: 0.5, sd: 0, n: 1 });
  });

  it('finds the best scikit-learn MLP by its mean and nnlab’s gap to it', () => {
    const [flowers, prices] = summarizeQuality(shapes, measurements);
    expect(flowers!.metric).toBe('accuracy');
    expect(flowers!.scores.nnlab!.mean).toBeCloseTo(0.85, 12);
    expect(flowers!.scores.nnlab!.sd).toBeCloseTo(Math.SQRT1_2 * 0.1, 12);
    expect(flowers!.best).toBe('sklearn 64-32');
    expect(flowers!.gap).toBeCloseTo(0.85 - 0.97, 12);
    expect(flowers!.second_metric).toBe('balanced_accuracy');
    expect(flowers!.second.nnlab!.mean).toBeCloseTo(0.8, 12);
    expect(flowers!.test_rows).toEqual({ nnlab: 38.5, 'sklearn default': 40, 'sklearn 64-32': 40 });
    expect(prices!.metric).toBe('r2');
    expect(prices!.best).toBe('sklearn default');
    expect(prices!.gap).toBeCloseTo(0.2, 12);
    expect(prices!.second.nnlab!.mean).toBeCloseTo(2.5, 12);
  });

  it('prints one row per dataset with each peer’s mean ± sd, the best MLP, the signed gap and the seconds', () => {
    const rows = qualityRows(summarizeQuality(shapes, measurements));
    expect(rows[0]).toEqual(['dataset', 'rows', 'features', 'task', 'metric', 'nnlab', 'sklearn default', 'sklearn 64-32',
      'best sklearn', 'nnlab − best', 's nnlab', 's sklearn']);
    expect(rows[1]).toEqual(['flowers', '160', '4', '3 classes', 'accuracy', '0.850 ± 0.071', '0.950 ± 0.028', '0.970 ± 0.028',
      '0.970 64-32', '−0.120', '1.0', '2.0']);
    expect(rows[2]).toEqual(['prices', '20,000', '8', 'regression', 'R²', '0.850 ± 0.071', '0.650 ± 0.071', '–',
      '0.650 default', '+0.200', '1.0', '1.0']);
    expect(secondRows(summarizeQuality(shapes, measurements))).toEqual([
      ['dataset', 'metric', 'nnlab', 'sklearn default', 'sklearn 64-32'],
      ['flowers', 'balanced accuracy', '0.800 ± 0.071', '0.940 ± 0.028', '0.940 ± 0.057'],
      ['prices', 'RMSE', '2.500 ± 0.707', '4.500 ± 0.707', '–'],
    ]);
  });

  it('leaves out the scikit-learn columns when only nnlab ran, and shows one seed without a spread', () => {
    const rows = qualityRows(summarizeQuality([shapes[0]!], [m('flowers', 1, 'nnlab', { accuracy: 0.9 })]));
    expect(rows).toEqual([
      ['dataset', 'rows', 'features', 'task', 'metric', 'nnlab', 's nnlab'],
      ['flowers', '160', '4', '3 classes', 'accuracy', '0.900', '1.0'],
    ]);
  });

  it('says where nnlab scored fewer test rows than scikit-learn', () => {
    expect(testRowNotes(summarizeQuality(shapes, measurements))).toEqual([
      'flowers: nnlab scored 38.5 of the 40 test rows (its missing-value policy left the others out); scikit-learn imputed and scored them all.',
    ]);
  });

  it('computes balanced accuracy as scikit-learn does: the mean recall of the classes present', () => {
    // balanced_accuracy_score(['a','a','a','b'], ['a','a','a','a']) == 0.5
    expect(balancedAccuracy(['a', 'a', 'a', 'b'], ['a', 'a', 'a', 'a'])).toBe(0.5);
    // recalls: a 2/3, b 1/2, c 1 → 13/18
    expect(balancedAccuracy(['a', 'a', 'a', 'b', 'b', 'c'], ['a', 'a', 'b', 'b', 'c', 'c'])).toBeCloseTo(13 / 18, 15);
  });
});
