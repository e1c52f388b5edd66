#!/usr/bin/env python3
"""PyTorch peer for `nnlab bench`: the usual nn.Sequential + torch.optim.SGD training loop (autograd, float32)
on one workload of bench/workloads.json; prints one JSON line. Without torch installed it prints a JSON line
with "skipped" and exits 0, so the benchmark can say why the peer is missing.

usage: python3 bench/torch_peer.py --workload W3 [--seconds 1.5] [--threads 1]
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
try:
    import torch
    from torch import nn
except ImportError as error:
    print(json.dumps({'peer': 'pytorch', 'workload': args.workload, 'skipped': 'PyTorch is not installed ({})'.format(error)}))
    raise SystemExit(0)

torch.set_num_threads(args.threads)
torch.manual_seed(1)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'workloads.json')) as f:
    spec = json.load(f)
w = spec['workloads'][args.workload]
sizes = w['layers']
batch = w['batch']
n = w['n']
hidden = nn.ReLU if w['hidden_act'] == 'relu' else nn.Sigmoid
layers = []
for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
    layers.append(nn.Linear(a, b))
    if i < len(sizes) - 2:
        layers.append(hidden())
model = nn.Sequential(*layers)
x_all = torch.randn(n, sizes[0])
if w['loss'] == 'softmax_ce':
    labels = torch.randint(0, sizes[-1], (n,))
    y_all = labels
    loss_fn = nn.CrossEntropyLoss()
elif w['loss'] == 'sigmoid_bce':
    y_all = torch.randint(0, 2, (n, sizes[-1])).float()
    loss_fn = nn.BCEWithLogitsLoss()
else:
    y_all = torch.randint(0, 2, (n, sizes[-1])).float()
    mse = nn.MSELoss()
    loss_fn = lambda out, y: mse(torch.sigmoid(out), y)  # noqa: E731
optimizer = torch.optim.SGD(model.parameters(), lr=spec['lr'])
order = torch.randperm(n)
cursor = 0


def step():
    global cursor, order
    if cursor + batch > n:
        order = torch.randperm(n)
        cursor = 0
    idx = order[cursor:cursor + batch]
    cursor += batch
    optimizer.zero_grad()
    loss = loss_fn(model(x_all[idx]), y_all[idx])
    loss.backward()
    optimizer.step()
    return loss.item()


warm_until = time.perf_counter() + 0.3
while time.perf_counter() < warm_until:
    step()
steps = 0
started = time.perf_counter()
while time.perf_counter() - started < args.seconds:
    step()
    steps += 1
elapsed = time.perf_counter() - started
flops = sum(6 * a * b for a, b in zip(sizes, sizes[1:]))
samples = steps * batch / elapsed
blas, arch = blas_and_arch()
# oneDNN (mkldnn) serves some CPU operators; the capability is the vector width of torch's own kernels.
capability = torch.backends.cpu.get_cpu_capability() if hasattr(getattr(torch.backends, 'cpu', None), 'get_cpu_capability') else None
if capability is None:
    capability = next((line.split(':', 1)[1].strip() for line in torch.__config__.show().splitlines() if 'CPU capability usage' in line), 'unknown')
arch = '{}; torch {}{}'.format(arch, capability, ', oneDNN' if torch.backends.mkldnn.is_available() else '')
print(json.dumps({
    'blas': blas, 'arch': arch,
    'peer': 'pytorch', 'workload': args.workload, 'threads': args.threads, 'samples_per_s': samples,
    'ms_per_step': elapsed * 1000 / steps, 'gflops': samples * flops / 1e9, 'note': 'PyTorch {}'.format(torch.__version__),
}))
