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
  python3 train_${run.id}.py [--data FILE] [--epochs N] [--device cpu|cuda] [--out model.pt] [--dry-run] [--chunk-rows N]
  torchrun --nproc_per_node N train_${run.id}.py [options]   (one process per core or GPU; --device cuda for nccl)
--dry-run reads and splits the data and checks the split sizes against nnlab's, without PyTorch.
--chunk-rows N reads a CSV larger than memory N rows at a time (chosen by itself when the file is large for the
memory): the same split and preprocessing, but rows are shuffled within a buffer of a few chunks, so the training
order differs from the in-memory run's.
"""
import argparse
import csv
import array
import datetime
import itertools
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


def table_rows(path):
    """The file's non-empty rows, header included, one at a time: (line number, cells), so no more than a row is held."""
    d = CONFIG["dialect"]
    encoding = {"utf-8": "utf-8-sig", "windows-1252": "cp1252"}.get(d["encoding"], d["encoding"])
    with open(path, newline="", encoding=encoding) as handle:
        line_number = [0]

        def lines():
            for line in handle:
                line_number[0] += 1
                if not (d.get("comments") and line.lstrip().startswith("#")):
                    yield line

        for row in csv.reader(lines(), delimiter=d["delimiter"]):
            cells = [cell.strip() for cell in row]
            if any(cells):
                yield line_number[0], cells


def header_of(first):
    return column_names(first) if CONFIG["dialect"]["header"] else ["column_%d" % (i + 1) for i in range(len(first))]


def read_table(path):
    rows = [cells for _, cells in table_rows(path)]
    header = header_of(rows[0])
    body = rows[1:] if CONFIG["dialect"]["header"] else rows
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

def row_encoder(header, preprocessing, decimal, path="the data"):
    """A function from a row's cells to (x, y): None when its target is missing or not one of the classes, x None
    when a feature is missing and not filled in. Stops with a message naming a column the file lacks."""
    index = {name: i for i, name in enumerate(header)}
    target = preprocessing["target"]
    for column in [target["column"]] + [f["column"] for f in preprocessing["features"]]:
        if column not in index:
            sys.exit("%s has no column %s, which the model reads: pass the run's CSV with --data FILE" % (path, json.dumps(column)))
    markers = set(preprocessing["missingMarkers"])
    impute = preprocessing["missingPolicy"] == "impute"

    def number(text):
        if text in markers:
            return None
        try:
            return float(text.replace(",", ".") if decimal == "," else text)
        except ValueError:
            return None

    def encode_row(row):
        cell = row[index[target["column"]]]
        if cell in markers:
            return None
        if target["kind"] == "classes":
            if cell not in target["classes"]:
                return None
            y = target["classes"].index(cell)
        else:
            value = number(cell)
            if value is None:
                return None
            y = (value - target["mean"]) / target["std"]
        x = []
        for f in preprocessing["features"]:
            text = row[index[f["column"]]]
            if f["kind"] == "date":
                # A cell that is not a date counts as missing, as in nnlab.
                parts = None if text in markers else date_parts(text)
                if parts is None:
                    if not impute:
                        return None, y
                    parts = f["impute"]
                x.extend((v - m) / s for v, m, s in zip(parts, f["mean"], f["std"]))
            elif f["kind"] == "numeric":
                value = number(text)
                if value is None:
                    if not impute:
                        return None, y
                    value = f["impute"]
                x.append((value - f["mean"]) / f["std"])
            else:
                if text in markers:
                    if not impute:
                        return None, y
                    text = f["impute"]
                x.extend(1.0 if c == text else 0.0 for c in f["categories"])
        return x, y

    return encode_row


def encode(table, preprocessing, decimal):
    header, body = table
    encode_row = row_encoder(header, preprocessing, decimal)
    kept = []
    for r, row in enumerate(body):
        encoded = encode_row(row)
        if encoded is not None:
            kept.append((r, encoded[0], encoded[1]))
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


PART_CODES = {"train": 0, "val": 1, "test": 2}


class ClassNames:
    """Each row's class name, read from one small integer a row, as split_rows takes labels."""

    def __init__(self, codes, classes):
        self.codes, self.classes = codes, classes

    def __getitem__(self, r):
        return self.classes[self.codes[r]]


def encoded_rows(path):
    """The CSV's data rows encoded one at a time: (row index, line number, x, y), rows without a usable target left out."""
    pre = CONFIG["preprocessing"]
    rows = table_rows(path)
    first = next(rows, None)
    if first is None:
        sys.exit("%s is empty: pass the run's CSV with --data FILE" % path)
    header = header_of(first[1])
    encode_row = row_encoder(header, pre, CONFIG["dialect"]["decimal"], path)
    body = rows if CONFIG["dialect"]["header"] else itertools.chain([first], rows)
    for r, (line, cells) in enumerate(body):
        try:
            encoded = encode_row(cells)
        except IndexError:
            sys.exit("%s line %d: %d cells, but the model reads %d columns: check the row, or the delimiter" % (path, line, len(cells), len(header)))
        if encoded is not None:
            yield r, line, encoded[0], encoded[1]


def chunked_split(path):
    """nnlab's split made in one pass that keeps no data: each row's part (PART_CODES), -1 for a row that is unusable
    or was left out; one byte a row, and a transient list of row indices while splitting."""
    pre = CONFIG["preprocessing"]
    classes = pre["target"]["classes"] if pre["target"]["kind"] == "classes" else None
    rows, usable, codes = array.array("q"), array.array("q"), array.array("h")
    for r, _, x, y in encoded_rows(path):
        rows.append(r)
        if x is not None:
            usable.append(r)
        if classes is not None:
            codes.append(y)
    count = rows[-1] + 1 if rows else 0
    labels = None
    if classes is not None:
        # Class codes by row index; rows without a target are never looked up.
        by_row = np.zeros(count, dtype=np.int16)
        by_row[np.asarray(rows, dtype=np.int64)] = np.asarray(codes, dtype=np.int16)
        labels = ClassNames(by_row, classes)
    split = CONFIG["split"]
    if split["fold"]:
        parts = fold_split(list(rows), labels, split["fold"], split["val"], split["seed"])
    else:
        parts = split_rows(list(rows), labels, split["val"], split["test"], split["seed"])
    part_of = np.full(count, -1, dtype=np.int8)
    for name, members in parts.items():
        part_of[np.asarray(members, dtype=np.int64)] = PART_CODES[name]
    unusable = np.ones(count, dtype=bool)
    unusable[np.asarray(usable, dtype=np.int64)] = False
    part_of[unusable] = -1
    return part_of


def chunks(path, size, part_of, wanted):
    """The rows of the wanted parts, streamed in chunks of at most size data rows: (x, y) arrays of each chunk."""
    pre, arch = CONFIG["preprocessing"], CONFIG["architecture"]
    y_type = np.float32 if pre["target"]["kind"] == "value" or len(pre["target"]["classes"]) == 2 else np.int64
    xs, ys, seen = [], [], 0
    for r, _, x, y in encoded_rows(path):
        if r < len(part_of) and part_of[r] in wanted:
            xs.append(x)
            ys.append(y)
        seen += 1
        if seen == size:
            if xs:
                yield np.asarray(xs, dtype=np.float32).reshape(-1, arch["inputs"]), np.asarray(ys, dtype=y_type)
            xs, ys, seen = [], [], 0
    if xs:
        yield np.asarray(xs, dtype=np.float32).reshape(-1, arch["inputs"]), np.asarray(ys, dtype=y_type)


def auto_chunk_rows(path):
    """Chunks of CHUNK_ROWS rows when reading the whole file would take more than half the memory available (a row
    read whole takes about ten times its bytes in Python), else 0: the whole file at once."""
    try:
        with open("/proc/meminfo") as info:
            available = next(int(line.split()[1]) * 1024 for line in info if line.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError):
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, ValueError, OSError):
            return 0
    return CHUNK_ROWS if os.path.getsize(path) * 10 > available / 2 else 0


CHUNK_ROWS = 50000
# How many chunks are read before their rows are shuffled together and trained on.
SHUFFLE_CHUNKS = 4


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
    parser.add_argument("--chunk-rows", type=int, default=None, metavar="N",
                        help="read the CSV N rows at a time, never whole (0: whole); chosen by itself for a file large for the memory")
    args = parser.parse_args()

    arch, training = CONFIG["architecture"], CONFIG["training"]
    chunk_rows = auto_chunk_rows(args.data) if args.chunk_rows is None else args.chunk_rows
    expected = CONFIG["expectedSplits"]
    train_parts = (PART_CODES["train"], PART_CODES["val"]) if refit else (PART_CODES["train"],)
    if chunk_rows > 0:
        print("reading %s in chunks of %d rows" % (os.path.basename(args.data), chunk_rows), flush=True)
        part_of = chunked_split(args.data)
        sizes = {k: int((part_of == code).sum()) for k, code in PART_CODES.items()}
    else:
        parts = split_arrays(args.data)
        (x_train, y_train), (x_val, y_val), (x_test, y_test) = parts["train"], parts["val"], parts["test"]
        sizes = {"train": len(x_train), "val": len(x_val), "test": len(x_test)}
    same = all(sizes[k] == expected[k] for k in ("train", "val")) and (CONFIG["testData"] or sizes["test"] == expected["test"])
    print("rows: %(train)d train, %(val)d validation, %(test)d test" % sizes + ("" if same else " (nnlab had %s)" % expected))
    n_train = sizes["train"] + (sizes["val"] if refit else 0)
    if refit:
        # As nnlab's saved model: trained again on the training and validation rows together, nothing held out.
        if chunk_rows <= 0:
            x_train, y_train = np.concatenate([x_train, x_val]), np.concatenate([y_train, y_val])
        print("refit: training on all %d training and validation rows, as nnlab's saved model was" % n_train)
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

    def tensors(x, y):
        w = class_weights_of(y)
        return torch.from_numpy(x).to(args.device), target_tensor(torch, y, loss_name, args.device), None if w is None else torch.from_numpy(w).to(args.device)

    summed = REDUCTIONS[loss_name] == "sum"
    # The validation rows, unless a refit trains on them: their loss is what nnlab's early stopping watched.
    validate = not refit and sizes["val"] > 0
    if chunk_rows > 0:
        def validation_loss():
            # The loss over every validation row, chunk by chunk: a mean's parts weighted by their rows.
            total = 0.0
            for x, y in chunks(args.data, chunk_rows, part_of, (PART_CODES["val"],)):
                x_v, y_v, w_v = tensors(x, y)
                total += nnlab_loss(torch, loss_name, model(x_v), y_v, w_v).item() * (1 if summed else len(x) / sizes["val"])
            return total
    elif validate:
        x_v, y_v, w_v = tensors(x_val, y_val)
        validation_loss = lambda: nnlab_loss(torch, loss_name, model(x_v), y_v, w_v).item()
    full = training["batchSize"] == "full"
    batch = n_train if full else training["batchSize"]
    share = n_train
    if world > 1:
        # Each process takes its share of every mini-batch; DistributedDataParallel averages the gradients, so a
        # step sees the same number of rows as one process's would.
        batch = max(1, batch // world)
        if chunk_rows > 0:
            share = -(-n_train // world)
        else:
            sampler = torch.utils.data.distributed.DistributedSampler(
                range(len(x_train)), num_replicas=world, rank=rank, shuffle=training["shuffle"], seed=training["seed"])
            share = len(sampler)
        model = torch.nn.parallel.DistributedDataParallel(model)
        if rank == 0:
            print("each process trains on %d of the %d training rows, %d a mini-batch" % (share, n_train, batch), flush=True)
    if chunk_rows <= 0:
        x_t, y_t, w_t = tensors(x_train, y_train)

    def in_memory_batches(epoch):
        if world > 1:
            sampler.set_epoch(epoch)
            order = torch.tensor(list(sampler), dtype=torch.int64)
        else:
            order = torch.randperm(len(x_t)) if training["shuffle"] else torch.arange(len(x_t))
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            yield x_t[idx], y_t[idx], None if w_t is None else w_t[idx]

    def chunked_batches(epoch):
        # This process's rows: every world-th training row, the last padded with its first so that every process
        # takes as many steps; shuffled within a buffer of SHUFFLE_CHUNKS chunks, so the order is not the
        # in-memory run's, though the rows are.
        generator = torch.Generator().manual_seed(training["seed"] * 1000003 + epoch * 1009 + rank)
        carry, buffer, buffered, seen, taken, first = None, [], 0, 0, 0, None

        def mine(x, y):
            nonlocal seen
            keep = (np.arange(seen, seen + len(x)) % world) == rank
            seen += len(x)
            return x[keep], y[keep]

        def drain(final):
            nonlocal carry, buffer, buffered
            x = np.concatenate([b[0] for b in buffer]) if buffer else None
            y = np.concatenate([b[1] for b in buffer]) if buffer else None
            buffer, buffered = [], 0
            if x is not None and training["shuffle"]:
                order = torch.randperm(len(x), generator=generator).numpy()
                x, y = x[order], y[order]
            if carry is not None:
                x = carry[0] if x is None else np.concatenate([carry[0], x])
                y = carry[1] if y is None else np.concatenate([carry[1], y])
            carry = None
            if x is None:
                return
            whole = len(x) if final else len(x) - len(x) % batch
            for start in range(0, whole, batch):
                yield tensors(x[start:start + batch], y[start:start + batch])
            if whole < len(x):
                carry = (x[whole:], y[whole:])

        for x, y in chunks(args.data, chunk_rows, part_of, train_parts):
            x, y = mine(x, y)
            if len(x) == 0:
                continue
            if first is None:
                first = (x[:1], y[:1])
            taken += len(x)
            buffer.append((x, y))
            buffered += 1
            if buffered == SHUFFLE_CHUNKS:
                yield from drain(False)
        if taken < share and first is not None:
            buffer.append(first)
        yield from drain(True)

    batches = chunked_batches if chunk_rows > 0 else in_memory_batches
    for epoch in range(1, args.epochs + 1):
        model.train()
        total = torch.zeros(2, dtype=torch.float64)
        if full and chunk_rows > 0:
            # The whole training set as one mini-batch, a chunk at a time: each chunk's gradient weighted by its
            # share of the rows, summed, then one step.
            optimizer.zero_grad()
        for x_b, y_b, w_b in batches(epoch):
            if not (full and chunk_rows > 0):
                optimizer.zero_grad()
            loss = nnlab_loss(torch, loss_name, model(x_b), y_b, w_b)
            (loss if summed or not (full and chunk_rows > 0) else loss * (len(x_b) / share)).backward()
            if not (full and chunk_rows > 0):
                optimizer.step()
            total[0] += loss.item() * (1 if summed else len(x_b))
            total[1] += len(x_b)
        if full and chunk_rows > 0:
            optimizer.step()
        if world > 1:
            # Every process's loss and row count, summed: the epoch's loss over all the rows trained on.
            torch.distributed.all_reduce(total)
        mean = total[0].item() if summed else total[0].item() / max(1.0, total[1].item())
        line = "epoch %d loss %.6f" % (epoch, mean)
        if validate:
            model.eval()
            with torch.no_grad():
                line += " val_loss %.6f" % validation_loss()
        if rank == 0:
            print(line, flush=True)
    if rank == 0:
        torch.save((model.module if world > 1 else model).state_dict(), args.out)
        print("saved", args.out)
        if chunk_rows > 0:
            print("peak memory: %d MB" % (peak_memory() // (1024 * 1024)))
    if world > 1:
        torch.distributed.destroy_process_group()


def peak_memory():
    """This process's peak resident memory in bytes (Linux counts it in kB, macOS in bytes)."""
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


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
