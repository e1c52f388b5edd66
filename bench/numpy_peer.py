#!/usr/bin/env python3
"""NumPy peer for `nnlab bench`: a tutorial-style MLP (forward, backward and SGD update with np.dot, float32)
trained on one workload of bench/workloads.json; prints one JSON line.

usage: python3 bench/numpy_peer.py --workload W3 [--seconds 1.5] [--threads 1]
The BLAS thread count must be set before NumPy loads, so --threads sets the usual environment variables first.
"""
import argparse
import json
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument('--workload', default='W1')
parser.add_argument('--seconds', type=float, default=1.5)
parser.add_argument('--threads', type=int, default=1)
args = parser.parse_args()
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blas_info import blas_and_arch, set_thread_env  # noqa: E402

set_thread_env(args.threads)
import numpy as np  # noqa: E402

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'workloads.json')) as f:
    spec = json.load(f)
w = spec['workloads'][args.workload]
lr = np.float32(spec['lr'])
sizes = w['layers']
batch = w['batch']
rng = np.random.default_rng(1)
n = w['n']
x_all = rng.standard_normal((n, sizes[0]), dtype=np.float32)
if w['loss'] == 'softmax_ce':
    y_all = np.eye(sizes[-1], dtype=np.float32)[rng.integers(0, sizes[-1], n)]
else:
    y_all = rng.integers(0, 2, (n, sizes[-1])).astype(np.float32)
weights = [(rng.standard_normal((a, b), dtype=np.float32) * np.float32(np.sqrt(2.0 / (a + b)))) for a, b in zip(sizes, sizes[1:])]
biases = [np.zeros(b, dtype=np.float32) for b in sizes[1:]]
relu = w['hidden_act'] == 'relu'


def sigmoid(z):
    return np.float32(1) / (np.float32(1) + np.exp(-z))


def step(x, y):
    hs = [x]
    zs = []
    for i, (W, b) in enumerate(zip(weights, biases)):
        z = np.dot(hs[-1], W) + b
        zs.append(z)
        if i < len(weights) - 1:
            hs.append(np.maximum(z, 0) if relu else sigmoid(z))
    z = zs[-1]
    rows = x.shape[0]
    if w['loss'] == 'sigmoid_mse':
        a = sigmoid(z)
        loss = float(np.mean((a - y) ** 2))
        dz = (np.float32(2 / a.size) * (a - y)) * a * (1 - a)
    elif w['loss'] == 'sigmoid_bce':
        loss = float(np.mean(np.logaddexp(0, z) - y * z))
        dz = (sigmoid(z) - y) / np.float32(z.size)
    else:
        shifted = z - z.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(s[:, 0]) - (shifted * y).sum(axis=1)))
        dz = (e / s - y) / np.float32(rows)
    for i in range(len(weights) - 1, -1, -1):
        gW = np.dot(hs[i].T, dz)
        gb = dz.sum(axis=0)
        if i > 0:
            dh = np.dot(dz, weights[i].T)
            h = hs[i]
            dz = dh * (zs[i - 1] > 0) if relu else dh * h * (1 - h)
        weights[i] -= lr * gW
        biases[i] -= lr * gb
    return loss


order = rng.permutation(n)
cursor = 0


def next_batch():
    global cursor, order
    if cursor + batch > n:
        order = rng.permutation(n)
        cursor = 0
    idx = order[cursor:cursor + batch]
    cursor += batch
    return x_all[idx], y_all[idx]


warm_until = time.perf_counter() + 0.3
while time.perf_counter() < warm_until:
    step(*next_batch())
steps = 0
started = time.perf_counter()
while time.perf_counter() - started < args.seconds:
    step(*next_batch())
    steps += 1
elapsed = time.perf_counter() - started
flops = sum(6 * a * b for a, b in zip(sizes, sizes[1:]))
samples = steps * batch / elapsed
blas, arch = blas_and_arch()
print(json.dumps({
    'peer': 'numpy', 'workload': args.workload, 'threads': args.threads, 'samples_per_s': samples,
    'ms_per_step': elapsed * 1000 / steps, 'gflops': samples * flops / 1e9, 'blas': blas, 'arch': arch,
    'note': 'NumPy {} ({}), float32'.format(np.__version__, blas),
}))
sys.stdout.flush()
