#!/usr/bin/env python3
"""scikit-learn peer for `nnlab bench --only quality`.

usage:
  python3 bench/sklearn_peer.py datasets --out DIR --names wine,digits,...
      writes DIR/<name>.csv for each of scikit-learn's bundled or generated sets named, one JSON line each
  python3 bench/sklearn_peer.py fit --train train.csv --test test.csv --target COL --task classification|regression
                                    --seed N [--configs default,16,64-32]
      fits one MLP per config on train.csv and scores it on test.csv; prints one JSON line

The preprocessing mirrors nnlab's: numeric columns standardised, text columns one-hot encoded, missing cells
(nnlab's default markers) imputed with the training mean or most common category. Regression targets are
standardised too (as nnlab does), through TransformedTargetRegressor.
"""
import argparse
import json
import os
import sys
import time
import warnings

# One BLAS thread, as every peer of nnlab's bench (two datasets run side by side on two cores); set before NumPy loads.
for _var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(_var, '1')

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

# nnlab's default missing-value markers (engine/data/table.ts DEFAULT_MISSING_MARKERS).
MISSING = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '?', '.', '-', '#N/A']

CONFIGS = {
    'default': (100,),
    '16': (16,),
    '64-32': (64, 32),
}


def labelled(names, y):
    return np.asarray([names[int(v)] for v in y], dtype=object)


def bundled(loader, class_names=None):
    def load():
        data = loader()
        x = pd.DataFrame(data.data, columns=[str(c).replace(' ', '_') for c in data.feature_names])
        if class_names is None:
            y = data.target
        else:
            y = labelled(class_names(data), data.target)
        return x, y
    return load


def generated(make, prefix, classes=None):
    def load():
        x, y = make()
        frame = pd.DataFrame(x, columns=[f'{prefix}{i + 1}' for i in range(x.shape[1])])
        return frame, (y if classes is None else labelled(classes, y))
    return load


def sets():
    from sklearn import datasets as d
    letters = [chr(ord('A') + i) for i in range(26)]
    return {
        'wine': bundled(d.load_wine, lambda data: list(data.target_names)),
        'breast-cancer': bundled(d.load_breast_cancer, lambda data: list(data.target_names)),
        'digits': bundled(d.load_digits, lambda data: [f'digit_{i}' for i in range(10)]),
        'diabetes': bundled(d.load_diabetes),
        # Shaped like UCI letter recognition: 20,000 rows, 16 features, 26 classes.
        'letter-like': generated(lambda: d.make_classification(
            n_samples=20000, n_features=16, n_informative=12, n_redundant=2, n_classes=26,
            n_clusters_per_class=2, class_sep=1.5, random_state=0), 'f', letters),
        'imbalanced': generated(lambda: d.make_classification(
            n_samples=4000, n_features=20, n_informative=6, n_redundant=4, weights=[0.93, 0.07],
            flip_y=0.01, random_state=1), 'f', ['common', 'rare']),
        'moons': generated(lambda: d.make_moons(n_samples=1000, noise=0.3, random_state=2), 'x', ['upper', 'lower']),
        'friedman1': generated(lambda: d.make_friedman1(n_samples=2000, n_features=10, noise=1.0, random_state=3), 'x'),
        'friedman3': generated(lambda: d.make_friedman3(n_samples=1000, noise=0.05, random_state=4), 'x'),
    }


def write_datasets(out, names):
    available = sets()
    for name in names:
        if name not in available:
            raise SystemExit(f'scikit-learn peer: no dataset "{name}"; known: {", ".join(available)}.')
        x, y = available[name]()
        frame = x.copy()
        frame['target'] = y
        path = os.path.join(out, f'{name}.csv')
        frame.to_csv(path, index=False, float_format='%.6g')
        print(json.dumps({'name': name, 'file': path, 'target': 'target', 'rows': len(frame)}), flush=True)


def fit(args):
    from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.impute import SimpleImputer
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, mean_squared_error, r2_score
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    read = dict(na_values=MISSING, keep_default_na=False)
    train = pd.read_csv(args.train, **read)
    test = pd.read_csv(args.test, **read)
    classification = args.task == 'classification'
    y_train = train.pop(args.target)
    y_test = test.pop(args.target)
    if classification:
        y_train, y_test = y_train.astype(str), y_test.astype(str)
    numeric = [c for c in train.columns if pd.api.types.is_numeric_dtype(train[c])]
    categorical = [c for c in train.columns if c not in numeric]
    prep = ColumnTransformer([
        ('numbers', Pipeline([('impute', SimpleImputer(strategy='mean')), ('scale', StandardScaler())]), numeric),
        ('categories', Pipeline([('impute', SimpleImputer(strategy='most_frequent')),
                                 ('onehot', OneHotEncoder(handle_unknown='ignore'))]), categorical),
    ])
    results = []
    for name in args.configs.split(','):
        common = dict(hidden_layer_sizes=CONFIGS[name], activation='relu', solver='adam', alpha=1e-4,
                      max_iter=args.max_iter, random_state=args.seed)
        if classification:
            model = MLPClassifier(**common)
        else:
            model = TransformedTargetRegressor(regressor=MLPRegressor(**common), transformer=StandardScaler())
        pipeline = Pipeline([('prep', prep), ('mlp', model)])
        started = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always', ConvergenceWarning)
            pipeline.fit(train, y_train)
        seconds = time.perf_counter() - started
        mlp = pipeline.named_steps['mlp']
        mlp = mlp if classification else mlp.regressor_
        predicted = pipeline.predict(test)
        result = {'config': name, 'hidden': list(CONFIGS[name]), 'iterations': int(mlp.n_iter_),
                  'converged': not any(issubclass(w.category, ConvergenceWarning) for w in caught),
                  'seconds': round(seconds, 3)}
        if classification:
            result['accuracy'] = float(accuracy_score(y_test, predicted))
            result['balanced_accuracy'] = float(balanced_accuracy_score(y_test, predicted))
        else:
            result['r2'] = float(r2_score(y_test, predicted))
            result['rmse'] = float(np.sqrt(mean_squared_error(y_test, predicted)))
        results.append(result)
    import sklearn
    print(json.dumps({'peer': 'sklearn', 'version': sklearn.__version__, 'train_rows': len(train),
                      'test_rows': len(test), 'results': results}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest='command', required=True)
    ds = sub.add_parser('datasets')
    ds.add_argument('--out', required=True)
    ds.add_argument('--names', required=True)
    f = sub.add_parser('fit')
    f.add_argument('--train', required=True)
    f.add_argument('--test', required=True)
    f.add_argument('--target', required=True)
    f.add_argument('--task', choices=['classification', 'regression'], required=True)
    f.add_argument('--seed', type=int, default=1)
    f.add_argument('--configs', default=','.join(CONFIGS))
    f.add_argument('--max-iter', type=int, default=500)
    args = parser.parse_args()
    if args.command == 'datasets':
        write_datasets(args.out, [n for n in args.names.split(',') if n])
    else:
        fit(args)


if __name__ == '__main__':
    sys.exit(main())
