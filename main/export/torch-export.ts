import type { RunRecord } from '../../common/run-record';
import { ACTIVATIONS, LEAKY_SLOPE, type ActivationName } from '../../engine/activations';
import { LOSS_REGISTRY, LOSSES, type LossName } from '../../engine/losses';
import { OPTIMIZERS, type OptimizerName } from '../../engine/optimizers';
import { ENGINE_VERSION } from '../version';
import { pythonDateParts } from './standalone-model';

/** Each activation as a torch.nn module (`nn` in the script). */
const TORCH_ACTIVATIONS: Record<ActivationName, string> = {
  sigmoid: 'nn.Sigmoid()',
  tanh: 'nn.Tanh()',
  relu: 'nn.ReLU()',
  leaky_relu: `nn.LeakyReLU(${LEAKY_SLOPE})`,
  linear: 'nn.Identity()',
  softmax: 'nn.Softmax(dim=-1)',
};

/**
 * Each loss as a torch.nn class, made with nnlab's reduction. `logits`: it takes the last layer's
 * pre-activations (as nnlab's fused cross-entropies do), so the script's network stops before the output activation.
 * `classIndices`: its targets are class indices; the others take values, with several classes one-hot as in nnlab.
 */
const TORCH_LOSSES: Record<LossName, { module: string; logits: boolean; classIndices: boolean }> = {
  sse: { module: 'torch.nn.MSELoss', logits: false, classIndices: false },
  mse: { module: 'torch.nn.MSELoss', logits: false, classIndices: false },
  bce: { module: 'torch.nn.BCEWithLogitsLoss', logits: true, classIndices: false },
  softmax_ce: { module: 'torch.nn.CrossEntropyLoss', logits: true, classIndices: true },
};

/** Each optimiser as a torch.optim constructor over the script's `groups`, `lr` and the run's settings `opt`. */
const TORCH_OPTIMIZERS: Record<OptimizerName, string> = {
  sgd: 'torch.optim.SGD(groups, lr=lr)',
  momentum: 'torch.optim.SGD(groups, lr=lr, momentum=opt["momentum"])',
  nesterov: 'torch.optim.SGD(groups, lr=lr, momentum=opt["momentum"], nesterov=True)',
  adam: 'torch.optim.Adam(groups, lr=lr, betas=(opt["beta1"], opt["beta2"]), eps=opt["epsilon"])',
};

/** A Python tuple of names. */
const pyTuple = (names: readonly string[]) => `(${names.map((n) => JSON.stringify(n)).join(', ')}${names.length === 1 ? ',' : ''})`;

/** A Python dict literal from names to expressions, opening on a line indented by `indent` spaces. */
const pyDict = (entries: [string, string][], indent: number) =>
  `{\n${entries.map(([name, value]) => `${' '.repeat(indent + 4)}${JSON.stringify(name)}: ${value},\n`).join('')}${' '.repeat(indent)}}`;

const activationModules = pyDict(ACTIVATIONS.map((name) => [name, TORCH_ACTIVATIONS[name]]), 8);
const logitLosses = pyTuple(LOSSES.filter((name) => TORCH_LOSSES[name].logits));
const classIndexLosses = pyTuple(LOSSES.filter((name) => TORCH_LOSSES[name].classIndices));
const lossModules = pyDict(LOSSES.map((name) => [name, `${TORCH_LOSSES[name].module}(reduction="none")`]), 4);
const reductions = pyDict(LOSSES.map((name) => [name, JSON.stringify(LOSS_REGISTRY[name].reduction)]), 0);
const optimizers = pyDict(OPTIMIZERS.map((name) => [name, `lambda: ${TORCH_OPTIMIZERS[name]}`]), 4);

/**
 * A runnable PyTorch script that rebuilds the run: the same CSV read the same way, the same preprocessing
 * (as recorded, not refitted), the same seeded split (nnlab's generator ported to Python), the same
 * architecture, loss and optimiser settings. It is the bridge for people who outgrow one machine.
 */
export function runToTorchScript(run: RunRecord, dialect: { delimiter: string; decimal: string; encoding: string; header: boolean; comments: boolean }): string {
  const literal = (value: unknown) => JSON.stringify(JSON.stringify(value));
  const config = {
    data: run.dataset.path,
    testData: run.dataset.testPath,
    dialect,
    preprocessing: run.preprocessing,
    architecture: run.model,
    training: run.training,
    task: run.task,
    split: { val: run.request.settings.val, test: run.request.testFile ? 0 : run.request.settings.test, seed: run.seed, fold: run.request.fold ?? null },
    expectedSplits: run.dataset.splits,
    // nnlab's saved model was refitted on the training and validation rows together for this many epochs.
    refit: run.summary.refit ?? null,
  };
  return `"""Retrain nnlab run ${run.id} ("${run.name.replace(/\\/g, '\\\\').replace(/"/g, "'")}") with PyTorch.

Written by nnlab ${ENGINE_VERSION}. Needs Python 3 with NumPy and PyTorch.
  python3 train_${run.id}.py [--data FILE] [--epochs N] [--device cpu|cuda] [--out model.pt] [--dry-run]
  torchrun --nproc_per_node N train_${run.id}.py [options]   (one process per core or GPU; --device cuda for nccl)
--dry-run reads and splits the data and checks the split sizes against nnlab's, without PyTorch.
"""
import argparse
import csv
import datetime
import json
import math
import os
import re
import sys

import numpy as np

CONFIG = json.loads(${literal(config)})


class NnlabRandom:
    """xoshiro128** seeded through SplitMix32: nnlab's generator, so the split is the same as in nnlab."""

    def __init__(self, seed):
        x = seed & 0xFFFFFFFF
        state = []
        for _ in range(4):
            x = (x + 0x9E3779B9) & 0xFFFFFFFF
            z = x
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & 0xFFFFFFFF
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & 0xFFFFFFFF
            state.append((z ^ (z >> 16)) & 0xFFFFFFFF)
        if not any(state):
            state[0] = 1
        self.s = state

    @staticmethod
    def stream(seed, purpose):
        h = (0x811C9DC5 ^ (seed & 0xFFFFFFFF)) & 0xFFFFFFFF
        for ch in purpose:
            h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
        return NnlabRandom(h)

    def next_uint32(self):
        s0, s1, s2, s3 = self.s
        rotl = lambda v, k: ((v << k) | (v >> (32 - k))) & 0xFFFFFFFF
        result = (rotl((s1 * 5) & 0xFFFFFFFF, 7) * 9) & 0xFFFFFFFF
        t = (s1 << 9) & 0xFFFFFFFF
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def below(self, n):
        limit = 0x100000000 - (0x100000000 % n)
        x = self.next_uint32()
        while x >= limit:
            x = self.next_uint32()
        return x % n

    def shuffle(self, values):
        for i in range(len(values) - 1, 0, -1):
            j = self.below(i + 1)
            values[i], values[j] = values[j], values[i]


def js_round(v):
    return math.floor(v + 0.5)


def split_rows(rows, labels, val, test, seed):
    """nnlab's seeded split, stratified by class: the same rows land in the same parts."""
    rng = NnlabRandom.stream(seed, "split")
    groups = {}
    for r in rows:
        groups.setdefault(labels[r] if labels is not None else "", []).append(r)
    parts = {"train": [], "val": [], "test": []}
    for key in sorted(groups):
        members = groups[key]
        rng.shuffle(members)
        n = len(members)
        n_test, n_val = js_round(n * test), js_round(n * val)
        while n_test + n_val >= n and n_test + n_val > 0:
            if n_val >= n_test and n_val > 0:
                n_val -= 1
            else:
                n_test -= 1
        for i, r in enumerate(members):
            parts["test" if i < n_test else "val" if i < n_test + n_val else "train"].append(r)
    return {k: sorted(v) for k, v in parts.items()}


def fold_rows(rows, labels, folds, seed):
    """nnlab's cross-validation folds: each class shuffled and dealt round the folds, continuing where the last class stopped."""
    rng = NnlabRandom.stream(seed, "folds")
    groups = {}
    for r in rows:
        groups.setdefault(labels[r] if labels is not None else "", []).append(r)
    result = [[] for _ in range(folds)]
    next_fold = 0
    for key in sorted(groups):
        members = groups[key]
        rng.shuffle(members)
        for r in members:
            result[next_fold].append(r)
            next_fold = (next_fold + 1) % folds
    return [sorted(f) for f in result]


def fold_split(rows, labels, fold, val, seed):
    """A cross-validation run's split: its fold is the test rows, and validation is carved from the others."""
    test = fold_rows(rows, labels, fold["folds"], seed)[fold["index"]]
    held = set(test)
    rest = split_rows([r for r in rows if r not in held], labels, val, 0, seed)
    return {"train": rest["train"], "val": rest["val"], "test": test}


def read_table(path):
    d = CONFIG["dialect"]
    encoding = {"utf-8": "utf-8-sig", "windows-1252": "cp1252"}.get(d["encoding"], d["encoding"])
    with open(path, newline="", encoding=encoding) as handle:
        lines = [line for line in handle if not (CONFIG["dialect"].get("comments") and line.lstrip().startswith("#"))]
    rows = [[cell.strip() for cell in row] for row in csv.reader(lines, delimiter=d["delimiter"]) if any(c.strip() for c in row)]
    header = column_names(rows[0]) if d["header"] else ["column_%d" % (i + 1) for i in range(len(rows[0]))]
    body = rows[1:] if d["header"] else rows
    return header, body


def column_names(header):
    """nnlab's names for the header's columns: empty ones numbered (column_3), repeated ones suffixed (a_2)."""
    seen, names = {}, []
    for i, name in enumerate(header):
        if name == "":
            names.append("column_%d" % (i + 1))
            continue
        count = seen.get(name, 0)
        seen[name] = count + 1
        if count == 0:
            names.append(name)
            continue
        candidate = "%s_%d" % (name, count + 1)
        while candidate in header:
            candidate += "_"
        names.append(candidate)
    return names


${pythonDateParts()}

def encode(table, preprocessing, decimal):
    header, body = table
    index = {name: i for i, name in enumerate(header)}
    markers = set(preprocessing["missingMarkers"])
    impute = preprocessing["missingPolicy"] == "impute"

    def number(text):
        if text in markers:
            return None
        try:
            return float(text.replace(",", ".") if decimal == "," else text)
        except ValueError:
            return None

    target = preprocessing["target"]
    xs, ys, kept = [], [], []
    for r, row in enumerate(body):
        cell = row[index[target["column"]]]
        if cell in markers:
            continue
        if target["kind"] == "classes":
            if cell not in target["classes"]:
                continue
            y = target["classes"].index(cell)
        else:
            value = number(cell)
            if value is None:
                continue
            y = (value - target["mean"]) / target["std"]
        x = []
        for f in preprocessing["features"]:
            text = row[index[f["column"]]]
            if f["kind"] == "date":
                # A cell that is not a date counts as missing, as in nnlab.
                parts = None if text in markers else date_parts(text)
                if parts is None:
                    if not impute:
                        x = None
                        break
                    parts = f["impute"]
                x.extend((v - m) / s for v, m, s in zip(parts, f["mean"], f["std"]))
            elif f["kind"] == "numeric":
                value = number(text)
                if value is None:
                    if not impute:
                        x = None
                        break
                    value = f["impute"]
                x.append((value - f["mean"]) / f["std"])
            else:
                if text in markers:
                    if not impute:
                        x = None
                        break
                    text = f["impute"]
                x.extend(1.0 if c == text else 0.0 for c in f["categories"])
        kept.append((r, x, y))
    return kept


REDUCTIONS = ${reductions}


def nnlab_loss(torch, loss_name, output, target, weights=None):
    """nnlab's loss: each row's terms times its class's weight (weights: one per row, or None), summed, then for a
    mean divided by the number of terms, as scikit-learn's sample weights are, not by the sum of the weights as
    torch.nn.CrossEntropyLoss(weight=...) does."""
    terms = ${lossModules}[loss_name](output, target)
    rows = terms.reshape(len(terms), -1)
    if weights is not None:
        rows = rows * weights.view(-1, 1)
    total = rows.sum()
    return total if REDUCTIONS[loss_name] == "sum" else total / rows.numel()


def class_weights_of(y):
    """Each row's class weight (classes are indices, two classes 0/1), or None when the run counts every row once."""
    weights = CONFIG["training"].get("classWeights")
    if weights is None:
        return None
    return np.asarray(weights, dtype=np.float32)[y.astype(np.int64)]


def split_arrays(path):
    """The CSV at path read, encoded and split as nnlab did: (x, y) of the train, val and test parts."""
    pre, arch = CONFIG["preprocessing"], CONFIG["architecture"]
    encoded = encode(read_table(path), pre, CONFIG["dialect"]["decimal"])
    rows = [r for r, _, _ in encoded]
    labels = {r: pre["target"]["classes"][y] for r, _, y in encoded} if pre["target"]["kind"] == "classes" else None
    split = CONFIG["split"]
    if split["fold"]:
        parts = fold_split(rows, labels, split["fold"], split["val"], split["seed"])
    else:
        parts = split_rows(rows, labels, split["val"], split["test"], split["seed"])
    by_row = {r: (x, y) for r, x, y in encoded}

    def arrays(part):
        usable = [by_row[r] for r in parts[part] if by_row[r][0] is not None]
        x = np.asarray([u[0] for u in usable], dtype=np.float32).reshape(-1, arch["inputs"])
        y = np.asarray([u[1] for u in usable], dtype=np.float32 if pre["target"]["kind"] == "value" or len(pre["target"]["classes"]) == 2 else np.int64)
        return x, y

    return {part: arrays(part) for part in ("train", "val", "test")}


def target_tensor(torch, y, loss_name, device="cpu"):
    """The targets as the loss takes them."""
    t = torch.from_numpy(y).to(device)
    if loss_name in ${classIndexLosses}:
        return t
    # Several classes come as indices (int64): a loss of values takes them one-hot; a value or one class as a column.
    return torch.nn.functional.one_hot(t, len(CONFIG["preprocessing"]["target"]["classes"])).float() if t.dtype == torch.int64 else t.view(-1, 1)


def build(torch, architecture):
    nn = torch.nn
    layers, fan_in = [], architecture["inputs"]
    for i, layer in enumerate(architecture["layers"]):
        layers.append(nn.Linear(fan_in, layer["units"], bias=architecture["bias"]))
        last = i == len(architecture["layers"]) - 1
        activation = layer["activation"]
        # Cross-entropy losses take logits, as nnlab's fused losses do; the final activation is applied at prediction.
        if last and architecture["loss"] in ${logitLosses}:
            break
        layers.append(${activationModules}[activation])
        fan_in = layer["units"]
    return nn.Sequential(*layers)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=CONFIG["data"])
    refit = CONFIG["refit"]
    parser.add_argument("--epochs", type=int, default=refit["epochs"] if refit else CONFIG["training"]["epochs"])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--out", default="model.pt")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()

    arch, training = CONFIG["architecture"], CONFIG["training"]
    parts = split_arrays(args.data)
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = parts["train"], parts["val"], parts["test"]
    sizes = {"train": len(x_train), "val": len(x_val), "test": len(x_test)}
    expected = CONFIG["expectedSplits"]
    same = all(sizes[k] == expected[k] for k in ("train", "val")) and (CONFIG["testData"] or sizes["test"] == expected["test"])
    print("rows: %(train)d train, %(val)d validation, %(test)d test" % sizes + ("" if same else " (nnlab had %s)" % expected))
    if refit:
        # As nnlab's saved model: trained again on the training and validation rows together, nothing held out.
        x_train, y_train = np.concatenate([x_train, x_val]), np.concatenate([y_train, y_val])
        print("refit: training on all %d training and validation rows, as nnlab's saved model was" % len(x_train))
    if args.dry_run:
        sys.exit(0 if same else 1)

    import torch

    rank, world = start_processes(torch, args)
    torch.manual_seed(training["seed"])
    model = build(torch, arch).to(args.device)
    loss_name = arch["loss"]
    opt = training["optimizer"]
    decay = [p for n, p in model.named_parameters() if n.endswith("weight")]
    plain = [p for n, p in model.named_parameters() if not n.endswith("weight")]
    groups = [{"params": decay, "weight_decay": opt["l2"]}, {"params": plain, "weight_decay": 0.0}]
    lr = training["learningRate"]
    optimizer = ${optimizers}[opt["name"]]()

    x_t, y_t = torch.from_numpy(x_train).to(args.device), target_tensor(torch, y_train, loss_name, args.device)
    row_weights = class_weights_of(y_train)
    w_t = None if row_weights is None else torch.from_numpy(row_weights).to(args.device)
    summed = REDUCTIONS[loss_name] == "sum"
    # The validation rows, unless a refit trains on them: their loss is what nnlab's early stopping watched.
    validate = not refit and len(x_val) > 0
    if validate:
        x_v, y_v = torch.from_numpy(x_val).to(args.device), target_tensor(torch, y_val, loss_name, args.device)
        v_weights = class_weights_of(y_val)
        w_v = None if v_weights is None else torch.from_numpy(v_weights).to(args.device)
    batch = len(x_train) if training["batchSize"] == "full" else training["batchSize"]
    if world > 1:
        # Each process takes its share of every mini-batch; DistributedDataParallel averages the gradients, so a
        # step sees the same number of rows as one process's would.
        batch = max(1, batch // world)
        sampler = torch.utils.data.distributed.DistributedSampler(
            range(len(x_t)), num_replicas=world, rank=rank, shuffle=training["shuffle"], seed=training["seed"])
        model = torch.nn.parallel.DistributedDataParallel(model)
        if rank == 0:
            print("each process trains on %d of the %d training rows, %d a mini-batch" % (len(sampler), len(x_t), batch), flush=True)
    for epoch in range(1, args.epochs + 1):
        model.train()
        if world > 1:
            sampler.set_epoch(epoch)
            order = torch.tensor(list(sampler), dtype=torch.int64)
        else:
            order = torch.randperm(len(x_t)) if training["shuffle"] else torch.arange(len(x_t))
        total = torch.zeros(2, dtype=torch.float64)
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            optimizer.zero_grad()
            loss = nnlab_loss(torch, loss_name, model(x_t[idx]), y_t[idx], None if w_t is None else w_t[idx])
            loss.backward()
            optimizer.step()
            total[0] += loss.item() * (1 if summed else len(idx))
            total[1] += len(idx)
        if world > 1:
            # Every process's loss and row count, summed: the epoch's loss over all the rows trained on.
            torch.distributed.all_reduce(total)
        mean = total[0].item() if summed else total[0].item() / max(1.0, total[1].item())
        line = "epoch %d loss %.6f" % (epoch, mean)
        if validate:
            model.eval()
            with torch.no_grad():
                line += " val_loss %.6f" % nnlab_loss(torch, loss_name, model(x_v), y_v, w_v).item()
        if rank == 0:
            print(line, flush=True)
    if rank == 0:
        torch.save((model.module if world > 1 else model).state_dict(), args.out)
        print("saved", args.out)
    if world > 1:
        torch.distributed.destroy_process_group()


def start_processes(torch, args):
    """Under torchrun (WORLD_SIZE > 1): joins the process group, gloo on CPU or nccl on GPUs; returns (rank, world)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return 0, 1
    gpu = args.device.startswith("cuda") and torch.cuda.is_available()
    torch.distributed.init_process_group("nccl" if gpu else "gloo")
    rank = torch.distributed.get_rank()
    if gpu:
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        args.device = "cuda:%d" % local
    if rank == 0:
        print("distributed: %d processes (%s)" % (world, "nccl" if gpu else "gloo"), flush=True)
    return rank, world


if __name__ == "__main__":
    main()
`;
}
