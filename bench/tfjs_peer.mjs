#!/usr/bin/env node
// TensorFlow.js peer for `nnlab bench`: trains one workload of bench/workloads.json with tfjs-core ops on the
// cpu or wasm backend (plain SGD, float32, the workload's loss) and prints one JSON line.
// The backward pass is written out with tf ops (matMul with transpose flags), as the numpy peer does: tfjs-core
// registers no gradients by itself (the @tensorflow/tfjs union package does, with webgl, layers, converter and
// data in tow), and explicit gradients skip autograd's tape, so this is if anything the faster way to use TF.js.
// usage: node bench/tfjs_peer.mjs --backend cpu|wasm --workload W3 [--seconds 1.5]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).join(' ').split('--').filter(Boolean).map((s) => s.trim().split(/\s+/)));
const backend = args.backend ?? 'cpu';
const id = args.workload ?? 'W1';
const seconds = Number(args.seconds ?? 1.5);
const file = JSON.parse(readFileSync(new URL('./workloads.json', import.meta.url), 'utf8'));
const w = file.workloads[id];
if (!w) throw new Error(`Unknown workload ${id}`);

const tf = await import('@tensorflow/tfjs-core');
if (backend === 'wasm') {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The .wasm files ship inside the package; in Node they are read from this folder.
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(`${dir}/`);
  wasm.setThreadsCount?.(1);
} else {
  await import('@tensorflow/tfjs-backend-cpu');
}
if (!(await tf.setBackend(backend))) throw new Error(`The ${backend} backend did not start.`);
await tf.ready();

const sizes = w.layers;
const inputs = sizes[0];
const outputs = sizes[sizes.length - 1];
const batches = Math.max(1, Math.floor(w.n / w.batch));
// Data of the workload's shape, batched once: nnlab's data pipeline is not what is measured here either.
const xs = [];
const ys = [];
for (let b = 0; b < Math.min(batches, 64); b++) {
  xs.push(tf.randomNormal([w.batch, inputs], 0, 1, 'float32', b + 1));
  if (w.loss === 'softmax_ce') ys.push(tf.cast(tf.oneHot(tf.randomUniform([w.batch], 0, outputs, 'int32', b + 1), outputs), 'float32'));
  else ys.push(tf.cast(tf.randomUniform([w.batch, outputs], 0, 2, 'int32', b + 1), 'float32'));
}
const params = [];
for (let i = 1; i < sizes.length; i++) {
  const scale = Math.sqrt(2 / (sizes[i - 1] + sizes[i]));
  params.push([tf.variable(tf.randomNormal([sizes[i - 1], sizes[i]], 0, scale, 'float32', 7 + i)), tf.variable(tf.zeros([sizes[i]]))]);
}
const lr = tf.scalar(file.lr);

/** One step: forward, loss (read back, as nnlab computes it every step), backward, SGD update. */
function trainStep(x, y) {
  return tf.tidy(() => {
    const hs = [x];
    const zs = [];
    params.forEach(([weights, bias], i) => {
      const z = tf.add(tf.matMul(hs[i], weights), bias);
      zs.push(z);
      if (i < params.length - 1) hs.push(w.hidden_act === 'relu' ? tf.relu(z) : w.hidden_act === 'tanh' ? tf.tanh(z) : tf.sigmoid(z));
    });
    const logits = zs[zs.length - 1];
    const rows = w.batch;
    let loss;
    let dz;
    if (w.loss === 'sigmoid_mse') {
      const a = tf.sigmoid(logits);
      const diff = tf.sub(a, y);
      loss = tf.mean(tf.square(diff));
      dz = tf.mul(tf.mul(diff, 2 / (rows * outputs)), tf.mul(a, tf.sub(1, a)));
    } else if (w.loss === 'sigmoid_bce') {
      loss = tf.losses.sigmoidCrossEntropy(y, logits);
      dz = tf.div(tf.sub(tf.sigmoid(logits), y), rows * outputs);
    } else {
      loss = tf.losses.softmaxCrossEntropy(y, logits);
      dz = tf.div(tf.sub(tf.softmax(logits), y), rows);
    }
    for (let i = params.length - 1; i >= 0; i--) {
      const [weights, bias] = params[i];
      const gradW = tf.matMul(hs[i], dz, true, false);
      const gradB = tf.sum(dz, 0);
      if (i > 0) {
        const dh = tf.matMul(dz, weights, false, true);
        const h = hs[i];
        const slope = w.hidden_act === 'relu' ? tf.step(zs[i - 1]) : w.hidden_act === 'tanh' ? tf.sub(1, tf.square(h)) : tf.mul(h, tf.sub(1, h));
        dz = tf.mul(dh, slope);
      }
      weights.assign(tf.sub(weights, tf.mul(lr, gradW)));
      bias.assign(tf.sub(bias, tf.mul(lr, gradB)));
    }
    return loss;
  });
}

let batch = 0;
function step() {
  const i = batch++ % xs.length;
  const cost = trainStep(xs[i], ys[i]);
  cost.dataSync(); // wait for the step, as nnlab's synchronous step does
  cost.dispose();
}

const warmUntil = performance.now() + 300;
while (performance.now() < warmUntil) step();
let steps = 0;
const started = performance.now();
while (performance.now() - started < seconds * 1000) {
  step();
  steps++;
}
const elapsed = (performance.now() - started) / 1000;
let flops = 0;
for (let i = 1; i < sizes.length; i++) flops += 6 * sizes[i - 1] * sizes[i];
const samples = (steps * w.batch) / elapsed;
console.log(JSON.stringify({
  peer: `tfjs-${backend}`, workload: id, threads: 1, samples_per_s: samples, ms_per_step: (elapsed * 1000) / steps, gflops: (samples * flops) / 1e9,
  note: `TensorFlow.js ${tf.version_core} ${backend} backend`,
}));
