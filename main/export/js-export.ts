import { LEAKY_SLOPE, type ActivationName } from '../../engine/activations';
import { ISO_DATE_PATTERN } from '../../engine/data/dates';
import type { Model } from '../../engine/model';
import { ENGINE_VERSION } from '../version';
import { PARITY_TOLERANCE, standaloneModel, type GoldenVector } from './standalone-model';

/**
 * Each activation in the generated module: an elementwise one as a function of one number (in its
 * ACTIVATIONS), a row-wise one (softmax) as statements in forward() that turn the layer's z into a.
 */
const JS_ACTIVATIONS: Record<ActivationName, { elementwise: string } | { rowwise: string[] }> = {
  sigmoid: { elementwise: '(z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)))' },
  tanh: { elementwise: 'Math.tanh' },
  relu: { elementwise: '(z) => (z > 0 ? z : 0)' },
  leaky_relu: { elementwise: `(z) => (z > 0 ? z : ${LEAKY_SLOPE} * z)` },
  linear: { elementwise: '(z) => z' },
  softmax: {
    rowwise: [
      'const max = Math.max(...z);',
      'const e = z.map((v) => Math.exp(v - max));',
      'const sum = e.reduce((s, v) => s + v, 0);',
      'a = e.map((v) => v / sum);',
    ],
  },
};

const renderings = Object.entries(JS_ACTIVATIONS);
const elementwise = renderings.flatMap(([name, js]) => ('elementwise' in js ? [`  ${name}: ${js.elementwise},`] : [])).join('\n');
// An if … else per row-wise activation, in front of the block that applies an elementwise one.
const rowwise = renderings
  .flatMap(([name, js]) => ('rowwise' in js ? [`if (layer.activation === '${name}') {\n${js.rowwise.map((line) => `      ${line}`).join('\n')}\n    } else `] : []))
  .join('');

/**
 * A JavaScript module with no dependencies that predicts raw rows exactly as nnlab does (CommonJS, so
 * `node model.js` runs its self-test on any Node version, and `import` still loads it).
 */
export function modelToJavaScript(model: Model, golden: GoldenVector[], name: string): string {
  return `'use strict';
// ${name.replace(/[\r\n\u2028\u2029]+/g, ' ')}: a multilayer perceptron trained with nnlab ${ENGINE_VERSION}.
// No dependencies. predict({ column: value, ... }) -> { prediction, probabilities }.
// Running this file (node model.js) checks it against the golden vectors below and exits non-zero on a mismatch.

const MODEL = ${JSON.stringify(standaloneModel(model))};

const GOLDEN = ${JSON.stringify(golden)};

const ACTIVATIONS = {
${elementwise}
};

function isMissing(value) {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value)) || MODEL.missingMarkers.includes(String(value).trim());
}

const ISO_DATE = new RegExp(${JSON.stringify(ISO_DATE_PATTERN)});

/** Year, month, day of month and ISO weekday (Monday 1 … Sunday 7) of an ISO date as written, or null for anything else. */
function dateParts(text) {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = match.slice(1, 4).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return [year, month, day, date.getUTCDay() || 7];
}

/** The network's input vector for one row, or null when a feature is missing and such rows are dropped. */
function encode(row) {
  const x = [];
  for (const f of MODEL.features) {
    let value = row[f.column];
    if (f.kind === 'date') {
      // A cell that is not a date counts as missing, as in nnlab.
      const parts = isMissing(value) ? null : dateParts(String(value).trim());
      if (!parts && MODEL.missingPolicy !== 'impute') return null;
      (parts || f.impute).forEach((v, i) => x.push((v - f.mean[i]) / f.std[i]));
      continue;
    }
    if (isMissing(value)) {
      if (MODEL.missingPolicy !== 'impute') return null;
      value = f.impute;
    }
    if (f.kind === 'numeric') {
      const text = String(value).trim();
      const number = typeof value === 'number' ? value : Number(MODEL.decimal === ',' ? text.replace(',', '.') : text);
      if (!Number.isFinite(number)) {
        if (MODEL.missingPolicy !== 'impute') return null;
        x.push((f.impute - f.mean) / f.std);
      } else {
        x.push((number - f.mean) / f.std);
      }
    } else {
      const label = String(value).trim();
      for (const category of f.categories) x.push(category === label ? 1 : 0);
    }
  }
  return x;
}

/** Runs encoded inputs through every layer: z = x·W + b, then the layer's activation. */
function forward(x) {
  let a = x;
  for (const layer of MODEL.layers) {
    const [inputs, units] = layer.shape;
    const z = new Array(units).fill(0);
    for (let i = 0; i < inputs; i++) for (let j = 0; j < units; j++) z[j] += a[i] * layer.weights[i * units + j];
    if (layer.bias) for (let j = 0; j < units; j++) z[j] += layer.bias[j];
    ${rowwise}{
      a = z.map(ACTIVATIONS[layer.activation]);
    }
  }
  return a;
}

function predict(row) {
  const x = encode(row);
  if (!x) return { prediction: null, probabilities: null };
  const out = forward(x);
  const target = MODEL.target;
  if (target.kind === 'value') return { prediction: out[0] * target.std + target.mean, probabilities: null };
  const probabilities = target.classes.length === 2 && out.length === 1 ? [1 - out[0], out[0]] : out;
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
  return { prediction: target.classes[best], probabilities };
}

/** Largest difference from the golden vectors, relative to each value's size (classes must match exactly). */
function selfTest() {
  let worst = 0;
  let ok = true;
  for (const g of GOLDEN) {
    const got = predict(g.row);
    if (MODEL.target.kind === 'classes' && got.prediction !== g.prediction) ok = false;
    const expected = MODEL.target.kind === 'value' ? [g.prediction] : g.probabilities || [];
    const actual = MODEL.target.kind === 'value' ? [got.prediction] : got.probabilities || [];
    expected.forEach((e, i) => { worst = Math.max(worst, Math.abs(e - actual[i]) / Math.max(1, Math.abs(e))); });
  }
  ok = ok && worst <= ${PARITY_TOLERANCE};
  console.log(\`\${ok ? 'ok' : 'MISMATCH'}: \${GOLDEN.length} golden vectors, max relative difference \${worst.toExponential(2)}\`);
  return ok;
}

module.exports = { MODEL, GOLDEN, encode, forward, predict, selfTest };
if (typeof require !== 'undefined' && require.main === module) process.exit(selfTest() ? 0 : 1);
`;
}
