import { LEAKY_SLOPE, type ActivationName } from '../../engine/activations';
import type { Model } from '../../engine/model';
import { ENGINE_VERSION } from '../version';
import { PARITY_TOLERANCE, pythonDateParts, standaloneModel, type GoldenVector } from './standalone-model';

/** Each activation in the generated module: NumPy statements that return it for the array z (rows × units). */
const PY_ACTIVATIONS: Record<ActivationName, string[]> = {
  sigmoid: ['return 1.0 / (1.0 + np.exp(-z))'],
  tanh: ['return np.tanh(z)'],
  relu: ['return np.maximum(z, 0.0)'],
  leaky_relu: [`return np.where(z > 0, z, ${LEAKY_SLOPE} * z)`],
  linear: ['return z'],
  softmax: ['e = np.exp(z - z.max(axis=-1, keepdims=True))', 'return e / e.sum(axis=-1, keepdims=True)'],
};

const activate = Object.entries(PY_ACTIVATIONS)
  .map(([name, lines]) => `    if name == "${name}":\n${lines.map((line) => `        ${line}`).join('\n')}\n`)
  .join('');

/** A Python file that needs only NumPy and predicts raw rows exactly as nnlab does, with a self-test. */
export function modelToPython(model: Model, golden: GoldenVector[], name: string): string {
  // A JSON string literal is also a valid Python string literal.
  const literal = (value: unknown) => JSON.stringify(JSON.stringify(value));
  return `"""${name.replace(/\\/g, '\\\\').replace(/"/g, "'")}: a multilayer perceptron trained with nnlab ${ENGINE_VERSION}.

Needs only NumPy. predict(rows) takes a list of dicts {column: value} and returns a list of
(prediction, probabilities) pairs. Running this file checks it against the golden vectors and exits
non-zero on a mismatch.
"""
import datetime
import json
import math
import re
import sys

import numpy as np

MODEL = json.loads(${literal(standaloneModel(model))})
GOLDEN = json.loads(${literal(golden)})

LAYERS = [
    (
        np.asarray(layer["weights"], dtype=np.float32).reshape(layer["shape"]).astype(np.float64),
        None if layer["bias"] is None else np.asarray(layer["bias"], dtype=np.float32).astype(np.float64),
        layer["activation"],
    )
    for layer in MODEL["layers"]
]


def _missing(value):
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip() in MODEL["missingMarkers"]


${pythonDateParts()}

def encode(row):
    """The network's input vector for one row, or None when a feature is missing and such rows are dropped."""
    x = []
    for f in MODEL["features"]:
        value = row.get(f["column"])
        if f["kind"] == "date":
            # A cell that is not a date counts as missing, as in nnlab.
            parts = None if _missing(value) else date_parts(value)
            if parts is None:
                if MODEL["missingPolicy"] != "impute":
                    return None
                parts = f["impute"]
            x.extend((v - m) / s for v, m, s in zip(parts, f["mean"], f["std"]))
            continue
        if _missing(value):
            if MODEL["missingPolicy"] != "impute":
                return None
            value = f["impute"]
        if f["kind"] == "numeric":
            try:
                text = str(value).strip()
                number = float(text.replace(",", ".") if MODEL.get("decimal") == "," else text) if not isinstance(value, (int, float)) else float(value)
            except ValueError:
                if MODEL["missingPolicy"] != "impute":
                    return None
                number = f["impute"]
            x.append((number - f["mean"]) / f["std"])
        else:
            label = str(value).strip()
            x.extend(1.0 if c == label else 0.0 for c in f["categories"])
    return np.asarray(x, dtype=np.float64)


def _activate(z, name):
${activate}    raise ValueError("unknown activation: %s" % name)


def forward(x):
    """z = x @ W + b, then the activation, for every layer."""
    a = x
    for weights, bias, activation in LAYERS:
        z = a @ weights
        if bias is not None:
            z = z + bias
        a = _activate(z, activation)
    return a


def predict(rows):
    results = []
    target = MODEL["target"]
    for row in rows:
        x = encode(row)
        if x is None:
            results.append((None, None))
            continue
        out = forward(x[None, :])[0]
        if target["kind"] == "value":
            results.append((float(out[0] * target["std"] + target["mean"]), None))
            continue
        probabilities = [1.0 - float(out[0]), float(out[0])] if len(target["classes"]) == 2 and len(out) == 1 else [float(p) for p in out]
        best = int(np.argmax(probabilities))
        results.append((target["classes"][best], probabilities))
    return results


def self_test():
    worst = 0.0
    ok = True
    for g, (prediction, probabilities) in zip(GOLDEN, predict([g["row"] for g in GOLDEN])):
        if MODEL["target"]["kind"] == "value":
            pairs = [(g["prediction"], prediction)]
        else:
            ok = ok and prediction == g["prediction"]
            pairs = list(zip(g["probabilities"] or [], probabilities or []))
        for expected, actual in pairs:
            worst = max(worst, abs(expected - actual) / max(1.0, abs(expected)))
    ok = ok and worst <= ${PARITY_TOLERANCE}
    print(("ok" if ok else "MISMATCH") + ": %d golden vectors, max relative difference %.2e" % (len(GOLDEN), worst))
    return ok


if __name__ == "__main__":
    sys.exit(0 if self_test() else 1)
`;
}
