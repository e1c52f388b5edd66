import { EXPORT_FORMATS } from '../../common/export-formats';
import type { LabMethod } from '../../common/lab-api';
import { defaultSettings, type TrainSettings } from '../../common/settings';
import { TASK_OVERRIDES } from '../../engine/data/task';
import { Random } from '../../engine/random';

/**
 * Seeded random and malformed lab calls for the fuzz test (transports-fuzz.test.ts): calls of the LabApi
 * contract as JavaScript values (what an IPC handler receives), and the WebSocket's own malformed frames.
 */

/** What the fuzz knows of the lab it aims at: real ids to mutate, and a sacrificial folder next to the lab folder. */
export interface FuzzWorld {
  home: string;
  /** A folder beside the lab folder holding copies of a dataset and a model: nothing may read them by path, or write here. */
  outside: string;
  examples: string;
  runs: string[];
  datasets: string[];
  models: string[];
  columns: string[];
  modelBytes: Uint8Array;
}

export type CallKind =
  | 'unknown-method' | 'arity' | 'wrong-type' | 'out-of-range' | 'prototype-keys' | 'deep-nesting' | 'traversal'
  | 'args-not-a-list' | 'plausible';

export interface FuzzCall {
  kind: CallKind;
  method: unknown;
  args: unknown;
  /** The contract's schemas refuse it: it never reaches the lab. */
  invalid: boolean;
  /** Whatever the lab holds, the answer is an error. */
  mustFail: boolean;
}

/** A nested list or object `depth` deep: built as text for the WebSocket, as a value for IPC. */
export class Deep {
  constructor(readonly depth: number, readonly shape: 'array' | 'object') {}

  text(): string {
    return this.shape === 'array' ? `${'['.repeat(this.depth)}${']'.repeat(this.depth)}` : `${'{"a":'.repeat(this.depth)}1${'}'.repeat(this.depth)}`;
  }

  value(): unknown {
    let value: unknown = this.shape === 'array' ? [] : 1;
    for (let i = 0; i < this.depth; i++) value = this.shape === 'array' ? [value] : { a: value };
    return value;
  }
}

/** A number JSON.parse reads from text JSON.stringify cannot write (1e400 is Infinity). */
export class RawNumber {
  constructor(readonly text: string) {}
}

type Slot =
  | 'runId' | 'liveRunId' | 'datasetId' | 'modelId' | 'exampleId' | 'path' | 'modelPath' | 'fileName'
  | 'csvBytes' | 'modelBytes' | 'noise' | 'steps' | 'speed' | 'learningRate' | 'epochs' | 'options' | 'roles' | 'settings'
  | 'runName' | 'notes' | 'format' | 'crossValidation' | 'sweepChoice';

interface Signature {
  slots: Slot[];
  /** Arguments that must be there; the rest are optional. */
  required: number;
}

const sig = (slots: Slot[], required = slots.length): Signature => ({ slots, required });

/**
 * Every method of the contract and what its arguments are: `satisfies` makes a method added to the contract
 * fail to compile here until the fuzz knows it. `runId` slots may name the real run; `liveRunId` slots (those that
 * would start a training process or delete the run) never do.
 */
export const SIGNATURES = {
  version: sig([]),
  exampleDatasets: sig([]),
  openExample: sig(['exampleId', 'noise'], 1),
  openDatasetPath: sig(['path', 'options'], 1),
  uploadDataset: sig(['fileName', 'csvBytes', 'options'], 2),
  inspectDataset: sig(['datasetId', 'roles', 'options'], 2),
  listRuns: sig([]),
  getRun: sig(['runId']),
  renameRun: sig(['runId', 'runName']),
  setRunNotes: sig(['runId', 'notes']),
  deleteRun: sig(['liveRunId']),
  duplicateRun: sig(['runId']),
  runBench: sig(['runId']),
  createSession: sig(['datasetId', 'roles', 'settings']),
  createFoldSession: sig(['datasetId', 'roles', 'settings', 'crossValidation']),
  createSweepSession: sig(['datasetId', 'roles', 'settings', 'sweepChoice']),
  resumeRun: sig(['liveRunId', 'epochs'], 1),
  sessions: sig([]),
  start: sig(['liveRunId']),
  pause: sig(['liveRunId']),
  resume: sig(['liveRunId']),
  step: sig(['liveRunId', 'steps']),
  stop: sig(['liveRunId']),
  setLearningRate: sig(['liveRunId', 'learningRate']),
  setSpeed: sig(['liveRunId', 'speed']),
  continueAfterDivergence: sig(['liveRunId', 'learningRate']),
  stepInDetail: sig(['liveRunId']),
  snapshot: sig(['runId']),
  health: sig(['runId']),
  checkpoints: sig(['runId']),
  checkpointSnapshot: sig(['runId', 'epochs']),
  forkRun: sig(['liveRunId', 'epochs', 'settings']),
  evaluateRun: sig(['runId']),
  checkGradients: sig(['runId']),
  boundaryData: sig(['runId']),
  exportFormats: sig([]),
  exportModel: sig(['runId', 'format']),
  openModelPath: sig(['modelPath']),
  uploadModel: sig(['fileName', 'modelBytes']),
  openRunModel: sig(['runId']),
  predictWithModel: sig(['modelId', 'datasetId']),
} satisfies Record<LabMethod, Signature>;

export const METHODS = Object.keys(SIGNATURES) as LabMethod[];

/** Methods that start a training process when their arguments are valid and name an open dataset. */
const STARTS_TRAINING: LabMethod[] = ['createSession', 'createFoldSession', 'createSweepSession'];

const POISON_KEYS = ['__proto__', 'constructor', 'prototype'];
const OTHER_OBJECT_KEYS = ['toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf', 'then'];
/** Names that are not methods of the contract: Object.prototype's, the backend's own members, near misses. */
const NOT_METHODS = [
  ...POISON_KEYS, ...OTHER_OBJECT_KEYS, 'call', 'apply', 'bind', 'subscribe', 'shutdown', 'emit', 'mayRead', 'store', 'datasets',
  'models', 'sessionRegistry', 'listeners', 'readablePath', 'home', 'listruns', 'ListRuns', 'listRuns ', ' version', 'version\0',
  'getRun()', 'get Run', '../version', '/etc/passwd', 'labMethods', 'eval', 'require', 'process', 'dropEverything',
];
const FAKE_RUN = '20260101-120000-ab12';
/** Export formats that are checked in this process (the others start python3 or node to check). */
const CHEAP_FORMATS = ['json', 'npz', 'metrics'] as const;

const CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,;.:-_/\\"\'\t\n\r{}[]()$%&*?!<>=+~`|@#^';
const ODD_CHARS = ['\0', '\u0001', '\u007f', 'é', '€', '😀', '\uD800', '\uDC00', '\u2028', '\uFEFF', '\u202E', 'ﬀ', '../', '..\\', '%2e%2e%2f', '\r\n'];

export class Generator {
  readonly r: Random;
  private nextFake = 0;

  constructor(seed: number, private readonly world: FuzzWorld, private readonly transport: 'ws' | 'ipc') {
    this.r = new Random(seed);
  }

  below(n: number): number {
    return this.r.below(n);
  }

  chance(p: number): boolean {
    return this.r.uniform() < p;
  }

  pick<T>(values: readonly T[]): T {
    return values[this.r.below(values.length)]!;
  }

  /** Random text of up to `max` characters, sometimes with odd characters in it. */
  text(max: number, min = 0): string {
    const length = min + this.below(Math.max(1, max - min + 1));
    let s = '';
    while (s.length < length) s += this.chance(0.1) ? this.pick(ODD_CHARS) : CHARS[this.below(CHARS.length)]!;
    return s.slice(0, length);
  }

  bytes(max: number): Uint8Array {
    const out = new Uint8Array(this.below(max + 1));
    for (let i = 0; i < out.length; i++) out[i] = this.below(256);
    return out;
  }

  // ---- one call of the contract ------------------------------------------------------------------------

  call(): FuzzCall {
    const roll = this.r.uniform();
    if (roll < 0.07) return this.unknownMethod();
    if (roll < 0.16) return this.arity();
    if (roll < 0.34) return this.mutated('wrong-type');
    if (roll < 0.48) return this.mutated('out-of-range');
    if (roll < 0.58) return this.mutated('prototype-keys');
    if (roll < 0.62) return this.mutated('deep-nesting');
    if (roll < 0.76) return this.traversal();
    if (roll < 0.80) return this.argsNotAList();
    return this.plausible();
  }

  private unknownMethod(): FuzzCall {
    const method = this.transport === 'ipc' && this.chance(0.3)
      ? this.pick<() => unknown>([
        () => undefined, () => null, () => 42, () => Number.NaN, () => true, () => ({}), () => ({ toString: 1 }),
        () => ({ toString: 'version', valueOf: 'version' }), () => ['version'], () => [['listRuns']], () => new Map([['version', 1]]),
        () => 12n, () => new Date(0), () => new Uint8Array([118, 101, 114]), () => JSON.parse('{"__proto__": {"polluted": "method"}}'),
      ])()
      : this.chance(0.7) ? this.pick(NOT_METHODS) : this.text(this.chance(0.1) ? 150 : 20, 1);
    return { kind: 'unknown-method', method, args: this.chance(0.5) ? [] : this.validArgs(this.pick(METHODS)), invalid: true, mustFail: true };
  }

  private arity(): FuzzCall {
    const method = this.pick(METHODS);
    const { slots, required } = SIGNATURES[method];
    const args = this.validArgs(method);
    if (required > 0 && (slots.length === 0 || this.chance(0.5))) {
      args.length = this.below(required);
    } else {
      while (args.length <= slots.length) args.push(this.anyValue(1));
      while (this.chance(0.3) && args.length < 20) args.push(this.anyValue(1));
    }
    return { kind: 'arity', method, args, invalid: true, mustFail: true };
  }

  /** A call of a method with one argument made wrong in the given way. */
  private mutated(kind: 'wrong-type' | 'out-of-range' | 'prototype-keys' | 'deep-nesting'): FuzzCall {
    const method = this.pick(METHODS.filter((m) => SIGNATURES[m].slots.length > 0));
    const { slots, required } = SIGNATURES[method];
    const args = this.validArgs(method, true);
    const at = this.below(slots.length);
    while (args.length <= at) args.push(this.validValue(slots[args.length]!, method));
    const slot = slots[at]!;
    const optional = at >= required;
    // With its roles or settings refused, createSession may name a dataset that is open: no training starts.
    if (STARTS_TRAINING.includes(method) && at > 0 && this.world.datasets.length > 0 && this.chance(0.7)) args[0] = this.pick(this.world.datasets);
    args[at] = kind === 'wrong-type' ? this.wrongType(slot, optional)
      : kind === 'out-of-range' ? this.outOfRange(slot, optional)
        : kind === 'prototype-keys' ? this.poisoned(slot)
          : this.deep();
    return { kind, method, args, invalid: true, mustFail: true };
  }

  private traversal(): FuzzCall {
    const method = this.pick(METHODS.filter((m) => SIGNATURES[m].slots.some((s) => TRAVERSAL_SLOTS.includes(s))));
    const { slots } = SIGNATURES[method];
    const args = this.validArgs(method, true);
    const at = slots.findIndex((s) => TRAVERSAL_SLOTS.includes(s));
    while (args.length <= at) args.push(this.validValue(slots[args.length]!, method));
    const slot = slots[at]!;
    args[at] = this.traversalValue(slot);
    // An upload keeps the file under its own name in the lab folder (the name's folders are dropped): it may succeed.
    return { kind: 'traversal', method, args, invalid: false, mustFail: slot !== 'fileName' };
  }

  private argsNotAList(): FuzzCall {
    const method = this.pick(METHODS);
    const ipcOnly = this.transport === 'ipc' ? [undefined, new Map([[0, 'x']]), new Set(['x']), new Uint8Array(2), { length: 1, 0: FAKE_RUN }] : [];
    const args = this.chance(0.2)
      ? Array.from({ length: 17 + this.below(10) }, () => this.anyValue(0))
      : this.pick<unknown>([null, 0, 1, -1, true, false, '', 'version', FAKE_RUN, {}, { 0: FAKE_RUN }, JSON.parse('{"__proto__": []}'), ...ipcOnly]);
    return { kind: 'args-not-a-list', method, args, invalid: true, mustFail: true };
  }

  private plausible(): FuzzCall {
    const method = this.pick(METHODS);
    return { kind: 'plausible', method, args: this.validArgs(method), invalid: false, mustFail: false };
  }

  /** Arguments the schemas accept (optional ones sometimes left out, unless `all`). */
  validArgs(method: LabMethod, all = false): unknown[] {
    const { slots, required } = SIGNATURES[method];
    const count = all ? slots.length : required + this.below(slots.length - required + 1);
    return slots.slice(0, count).map((slot) => this.validValue(slot, method));
  }

  // ---- values --------------------------------------------------------------------------------------------

  private fakeId(): string {
    this.nextFake++;
    return this.pick([FAKE_RUN, `20991231-235959-${(this.nextFake % 65536).toString(16).padStart(4, '0')}`, 'x', '0123456789abcdef', this.text(40, 1)]);
  }

  validValue(slot: Slot, method: LabMethod): unknown {
    const w = this.world;
    switch (slot) {
      case 'runId': return this.chance(0.6) && w.runs.length > 0 ? this.pick(w.runs) : this.fakeId();
      case 'liveRunId': return this.fakeId();
      case 'datasetId':
        // A real dataset would start training (a process) from valid settings: createSession names only open ones with settings it refuses.
        return !STARTS_TRAINING.includes(method) && this.chance(0.7) && w.datasets.length > 0 ? this.pick(w.datasets) : this.fakeId();
      case 'modelId': return this.chance(0.7) && w.models.length > 0 ? this.pick(w.models) : this.fakeId();
      case 'exampleId': return this.pick(['iris', 'xor', 'seed-xor', 'penguins', 'spiral', 'circles', 'xor-clusters', 'blobs', 'nope', this.text(20, 1)]);
      case 'path': return this.pick([
        `${w.examples}/iris.csv`, `${w.examples}/xor.csv`, `${w.examples}/penguins.csv`, `${w.examples}/nope.csv`, `${w.examples}/../datasets/iris.csv`,
        `${w.home}/datasets`, `${w.home}`, ...w.runs.flatMap((run) => [`${w.home}/runs/${run}/run.json`, `${w.home}/runs/${run}/metrics.jsonl`]),
      ]);
      case 'modelPath': return this.pick([`${w.examples}/iris.csv`, `${w.home}/missing.json`, ...w.runs.map((run) => `${w.home}/runs/${run}/model.json`)]);
      case 'fileName': return this.chance(0.7) ? this.pick(['data.csv', 'iris.csv', 'model.json', 'model.onnx', 'x.tsv', 'no extension']) : this.text(60, 1);
      case 'csvBytes': return this.csvBytes();
      case 'modelBytes': return this.modelBytes();
      case 'noise': return this.pick([0, 0.25, 0.5, 1]);
      case 'steps': return 1 + this.below(5);
      case 'speed': return this.pick([null, 1, 2, 30, 60]);
      case 'learningRate': return this.pick([0.001, 0.5, 1e-12, 1e6]);
      case 'epochs': return 1 + this.below(1000);
      case 'options': return this.importOptions();
      case 'roles': return this.roles();
      case 'settings': return this.settings();
      case 'runName': return this.text(60, 1);
      case 'notes': return this.text(300);
      case 'format': return method === 'exportModel' ? this.pick(CHEAP_FORMATS) : this.pick(EXPORT_FORMATS);
      case 'crossValidation': {
        const folds = 2 + this.below(4);
        return { folds, index: this.below(folds), experiment: this.chance(0.5) ? null : { id: this.fakeId(), name: this.text(30, 1) } };
      }
      case 'sweepChoice': {
        const seeds = 2 + this.below(4);
        return { seeds, index: this.below(seeds), sweep: this.chance(0.5) ? null : { id: this.fakeId(), name: this.text(30, 1) } };
      }
    }
  }

  private csvBytes(): Uint8Array {
    const roll = this.below(4);
    if (roll === 0) return this.bytes(300);
    const columns = 1 + this.below(4);
    const rows = this.below(12);
    const line = () => Array.from({ length: columns }, () => (this.chance(0.7) ? String(this.below(100) / 10) : this.text(5))).join(this.pick([',', ';', '\t']));
    const text = [Array.from({ length: columns }, (_, i) => `c${i}`).join(','), ...Array.from({ length: rows }, line)].join(this.pick(['\n', '\r\n']));
    return new TextEncoder().encode(roll === 1 ? text : roll === 2 ? `\uFEFF${text}` : text.slice(0, this.below(text.length + 1)));
  }

  private modelBytes(): Uint8Array {
    const real = this.world.modelBytes;
    switch (this.below(5)) {
      case 0: return real;
      case 1: {
        // The real model with a few bytes changed.
        const copy = real.slice();
        for (let i = 0; i < 1 + this.below(4); i++) copy[this.below(copy.length)] = this.below(256);
        return copy;
      }
      case 2: return new TextEncoder().encode(JSON.stringify(this.anyValue(3)));
      case 3: return new TextEncoder().encode(this.pick([
        '{"__proto__": {"polluted": "model"}, "format": "nnlab-model"}',
        '{"constructor": {"prototype": {"polluted": "model"}}}',
        '{"format": "nnlab-model", "version": 1, "spec": {"inputs": 1e999, "layers": []}}',
        '{"format": "nnlab-model", "version": 1, "spec": {"inputs": -1, "layers": [{"units": 4294967296, "activation": "relu"}]}}',
        '{"spec": {"inputs": 2, "layers": [{"units": 1, "activation": "sigmoid"}]}, "layers": [{"weights": {"dtype": "float32", "shape": [2, 1], "data": "AAAA"}}]}',
      ]));
      default: return this.bytes(400);
    }
  }

  private importOptions(): Record<string, unknown> {
    const options: Record<string, unknown> = {};
    if (this.chance(0.4)) options['delimiter'] = this.pick([',', ';', '\t', '|', '"', '\n', 'a', ' ', '\0']);
    if (this.chance(0.3)) options['decimal'] = this.pick(['.', ',']);
    if (this.chance(0.3)) options['encoding'] = this.pick(['utf-8', 'utf8', 'latin1', 'utf-16le', 'utf-16be', 'windows-1252', 'bogus', '']);
    if (this.chance(0.3)) options['missingMarkers'] = Array.from({ length: this.below(5) }, () => this.pick(['', 'NA', '?', '5.1', 'setosa', this.text(8)]));
    if (this.chance(0.3)) options['header'] = this.chance(0.5);
    return options;
  }

  private roles(): Record<string, unknown> {
    const roles: Record<string, unknown> = {};
    const columns = this.world.columns;
    if (this.chance(0.6)) roles['target'] = this.chance(0.8) ? this.pick(columns) : this.text(20);
    if (this.chance(0.4)) roles['ignore'] = Array.from({ length: this.below(columns.length + 2) }, () => (this.chance(0.8) ? this.pick(columns) : this.text(10)));
    if (this.chance(0.3)) roles['task'] = this.pick(TASK_OVERRIDES);
    return roles;
  }

  private settings(): TrainSettings {
    const settings = defaultSettings();
    settings.epochs = 1 + this.below(5);
    if (this.chance(0.3)) settings.name = this.text(50, 1);
    return settings;
  }

  /** Any value at all, nested at most `depth` deep. */
  anyValue(depth: number): unknown {
    const roll = this.below(depth > 0 ? 12 : 9);
    switch (roll) {
      case 0: return null;
      case 1: return this.chance(0.5);
      case 2: return this.pick([0, -0, 1, -1, 0.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, 5e-324]);
      case 3: return this.text(30);
      case 4: return this.pick(['', FAKE_RUN, '../../etc/passwd', '/etc/passwd', '..\\..\\x', 'C:\\Windows\\win.ini', '__proto__', 'constructor', 'undefined', 'null', 'NaN']);
      case 5: return this.transport === 'ipc' ? this.pick<unknown>([undefined, Number.NaN, Infinity, -Infinity, 10n ** 30n, new Date(0), new Map(), new Set([1]), /x/g, new Float64Array(3), new ArrayBuffer(4)]) : this.pick([new RawNumber('1e400'), new RawNumber('-1e400'), new RawNumber('123456789012345678901234567890')]);
      case 6: return this.bytes(20);
      case 7: return this.poisonObject();
      case 8: return { [this.text(8)]: this.text(8) };
      case 9: return Array.from({ length: this.below(5) }, () => this.anyValue(depth - 1));
      case 10: return Object.fromEntries(Array.from({ length: this.below(5) }, () => [this.pick([...OTHER_OBJECT_KEYS, this.text(6)]), this.anyValue(depth - 1)]));
      default: return this.deep();
    }
  }

  /** An object with a key that, assigned carelessly, reaches Object.prototype. */
  poisonObject(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const own = JSON.stringify(extra).slice(1, -1);
    const poison = this.pick([
      '"__proto__": {"polluted": "yes"}',
      '"constructor": {"prototype": {"polluted": "yes"}}',
      '"prototype": {"polluted": "yes"}',
      '"__proto__": {"__proto__": {"polluted": "yes"}}',
      '"__proto__": null',
      '"__proto__": {"target": "species", "delimiter": ",", "epochs": 1}',
      '"constructor": "x"',
    ]);
    return JSON.parse(`{${own}${own ? ', ' : ''}${poison}}`) as Record<string, unknown>;
  }

  deep(): Deep {
    const depth = this.transport === 'ipc'
      ? this.pick([10, 100, 500, 1000])
      : this.pick([10, 100, 1000, 10_000, 50_000]);
    return new Deep(depth, this.chance(0.5) ? 'array' : 'object');
  }

  private wrongType(slot: Slot, optional: boolean): unknown {
    const ipcOnly = this.transport === 'ipc' ? [...(optional ? [] : [undefined]), new Map(), new Date(0), 7n, new Set()] : [];
    const general: unknown[] = [null, true, false, 0, 1, -1, [], [FAKE_RUN], {}, { id: FAKE_RUN }, ...ipcOnly];
    switch (slot) {
      case 'noise': case 'steps': case 'learningRate': case 'epochs':
        return this.pick([...general, '0.5', '1', '', new Uint8Array(1)].filter((v) => typeof v !== 'number'));
      // Null is a speed (full speed), so not among its wrong types.
      case 'speed':
        return this.pick([...general, '0.5', '1', '', new Uint8Array(1)].filter((v) => typeof v !== 'number' && v !== null));
      case 'csvBytes': case 'modelBytes':
        return this.pick<unknown>([...general, 'YSxiCjEsMgo=', [97, 44, 98], { 0: 97, length: 1 }, 'QQ==',
          ...(this.transport === 'ipc' ? [new Uint16Array(4), new Int8Array(4), new Uint8ClampedArray(4), new Float32Array(2), new ArrayBuffer(8), new DataView(new ArrayBuffer(4))] : [])]);
      case 'options': case 'roles': case 'settings': case 'crossValidation': case 'sweepChoice':
        return this.pick([...general.filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)), 'delimiter=,', new Uint8Array(2), [{}]]);
      default:
        // The string slots.
        return this.pick([...general, 42, new Uint8Array(3), [this.text(5)]]);
    }
  }

  private outOfRange(slot: Slot, optional: boolean): unknown {
    const long = (n: number) => 'a'.repeat(n);
    switch (slot) {
      case 'runId': case 'liveRunId': case 'datasetId': case 'modelId': case 'exampleId':
        return this.pick(['', long(201), long(5000)]);
      case 'path': case 'modelPath': return this.pick(['', `/${long(4096)}`]);
      case 'fileName': return this.pick(['', long(256), `${long(300)}.csv`]);
      case 'runName': return this.pick(['', long(201)]);
      case 'notes': return long(100_001);
      case 'noise': return this.pick([-0.01, 1.01, 2, -1e308, 1e308, ...this.notFinite()]);
      case 'steps': return this.pick([0, -1, 1.5, 1_000_001, 1e308, ...this.notFinite()]);
      case 'speed': return this.pick([0, -1, 1.5, 61, 1e308, ...this.notFinite()]);
      case 'learningRate': return this.pick([0, -0, -1e-9, -1, ...this.notFinite()]);
      case 'epochs': return this.pick([0, -1, 2.5, 10_000_001, ...this.notFinite()]);
      case 'format': return this.pick(['', 'JSON', 'exe', 'onnx ', '../json', 'toString']);
      case 'options': return this.pick<Record<string, unknown>>([
        { delimiter: '' }, { delimiter: ',,' }, { decimal: ';' }, { encoding: long(33) }, { header: 'yes' },
        { missingMarkers: Array.from({ length: 65 }, () => '') }, { missingMarkers: [long(65)] }, { missingMarkers: 'NA' }, { unknown: 1 },
      ]);
      case 'roles': return this.pick<Record<string, unknown>>([
        { target: long(1001) }, { ignore: [long(1001)] }, { ignore: 'species' }, { task: 'both' }, { task: 'Classification' }, { target: 1 },
        { ignore: Array.from({ length: 10_001 }, () => 'c') }, { features: ['x'] },
      ]);
      case 'settings': return this.badSettings();
      case 'crossValidation': return this.pick<Record<string, unknown>>([
        { folds: 1, index: 0, experiment: null }, { folds: 1001, index: 0, experiment: null }, { folds: 3, index: 3, experiment: null },
        { folds: 3, index: -1, experiment: null }, { folds: 2.5, index: 0, experiment: null }, { folds: 3, index: 0 },
        { folds: 3, index: 0, experiment: { id: '', name: 'x' } }, { folds: 3, index: 0, experiment: { id: 'x', name: long(201) } },
        { folds: 3, index: 0, experiment: null, test: 0 },
      ]);
      case 'sweepChoice': return this.pick<Record<string, unknown>>([
        { seeds: 1, index: 0, sweep: null }, { seeds: 101, index: 0, sweep: null }, { seeds: 3, index: 3, sweep: null },
        { seeds: 3, index: -1, sweep: null }, { seeds: 2.5, index: 0, sweep: null }, { seeds: 3, index: 0 },
        { seeds: 3, index: 0, sweep: { id: '', name: 'x' } }, { seeds: 3, index: 0, sweep: null, seed: 4 },
      ]);
      // No length limit but the upload's (100 MB) for bytes: a wrong kind of array instead.
      case 'csvBytes': case 'modelBytes': return this.wrongType(slot, optional);
    }
  }

  private notFinite(): unknown[] {
    return this.transport === 'ipc' ? [Number.NaN, Infinity, -Infinity] : [new RawNumber('1e400'), new RawNumber('-1e400')];
  }

  /** Settings with one field the schema refuses. */
  private badSettings(): Record<string, unknown> {
    const settings: Record<string, unknown> = { ...defaultSettings(), epochs: 1 };
    const [field, value] = this.pick<[string, unknown]>([
      ['epochs', 0], ['epochs', 10_000_001], ['epochs', 1.5], ['learningRate', 0], ['learningRate', -1], ['momentum', 1.1],
      ['batch', 0], ['batch', 'half'], ['batch', 1e10], ['l2', -1], ['seed', 2 ** 32], ['seed', -1], ['seed', 0.5], ['val', 1], ['test', -0.1],
      ['earlyStop', 0], ['name', ''], ['name', 'n'.repeat(201)], ['missingPolicy', 'ignore'], ['loss', 'l1'], ['init', 'zeros'],
      ['optimizer', 'lbfgs'], ['schedule', 'cyclic'], ['standardize', 'yes'], ['bias', 1],
      ['layers', [{ units: 0, activation: 'relu' }]], ['layers', [{ units: 100_001, activation: 'relu' }]], ['layers', [{ units: 2.5, activation: 'relu' }]],
      ['layers', [{ units: 4, activation: 'softmax' }]], ['layers', [{ units: 4 }]], ['layers', Array.from({ length: 65 }, () => ({ units: 1, activation: 'relu' }))],
      ['layers', 'deep'], ['extra', true], ['missingPolicy', undefined],
    ]);
    if (value === undefined) delete settings[field];
    else settings[field] = value;
    return settings;
  }

  /** An object-shaped argument with a prototype key in it, or a prototype key where a string belongs. */
  private poisoned(slot: Slot): unknown {
    switch (slot) {
      case 'options': return this.poisonObject(this.importOptions());
      case 'roles': return this.poisonObject(this.roles());
      case 'settings': {
        const settings = this.settings() as unknown as Record<string, unknown>;
        if (this.chance(0.5)) return this.poisonObject(settings);
        // Deeper: in a hidden layer.
        settings['layers'] = [this.poisonObject({ units: 2, activation: 'relu' })];
        return settings;
      }
      default: return this.poisonObject(this.chance(0.5) ? {} : { id: FAKE_RUN, path: `${this.world.outside}/canary.csv` });
    }
  }

  private traversalValue(slot: Slot): string {
    const w = this.world;
    const toOutside = ['../../outside', '../../outside/canary.csv', '..\\..\\outside', `${w.outside}`, `${w.outside}/canary.csv`, `${w.home}/../outside`,
      `${FAKE_RUN}/../../../outside`, `runs/../../outside`, '../'.repeat(12) + w.outside.slice(1)];
    switch (slot) {
      case 'fileName': return this.pick([
        '../../outside/evil.csv', `${w.outside}/evil.csv`, '..\\..\\outside\\evil.csv', '..', '.', '...', '/', '\\', 'a/../../../evil.csv',
        '../runs/evil.csv', 'runs', 'datasets', '\0evil.csv', 'evil.csv\0.txt', 'CON', 'NUL.csv', ' ', '%2e%2e%2fevil.csv',
      ]);
      case 'path': case 'modelPath': {
        const file = slot === 'path' ? 'canary.csv' : 'model.json';
        return this.pick([
          `${w.outside}/${file}`, `${w.examples}/../${'../'.repeat(4)}${w.outside.slice(1)}/${file}`, `${w.home}/../outside/${file}`,
          `${w.home}/runs/../../outside/${file}`, `../../outside/${file}`, `..\\..\\outside\\${file}`, `${w.outside}`, '/etc/passwd', '/proc/self/environ',
          '/', 'C:\\Windows\\win.ini', '\\\\server\\share\\data.csv', 'file:///etc/passwd', `${w.examples}/iris.csv\0.txt`, `~/${file}`, `${w.examples}/../package.json`,
          `${w.examples}/..`, `${w.home}/datasets/../../outside/${file}`,
        ]);
      }
      case 'exampleId': return this.pick(['../datasets/iris', 'iris.csv', '../../outside/canary', `${w.examples}/iris.csv`, 'iris/../penguins', 'ir\0is',
        'IRIS', ' iris', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'spiral-noise-0.20', '../examples/spiral', `${w.outside}/canary.csv`]);
      default: return this.pick([...toOutside, '.', '..', '/', '~', '%2e%2e%2f', `${FAKE_RUN}/`, `${FAKE_RUN}\0`, `${FAKE_RUN.toUpperCase()}`,
        ` ${FAKE_RUN}`, ...w.runs.flatMap((run) => [`${run}/../..`, `${run}/run.json`, `${w.home}/runs/${run}`, `${run}/../${run}`]),
        '__proto__', 'constructor', 'prototype', 'hasOwnProperty']);
    }
  }
}

const TRAVERSAL_SLOTS: Slot[] = ['runId', 'liveRunId', 'datasetId', 'modelId', 'exampleId', 'path', 'modelPath', 'fileName'];

// ---- the WebSocket's own frames ------------------------------------------------------------------------------

/** How a call the contract refuses is answered, on either transport. */
export const REFUSED_AT_THE_DOOR = /^(Invalid arguments for \w+: |Unknown (lab )?method|The message is not a request)/;

export type FrameKind = CallKind | 'not-json' | 'not-an-object' | 'bad-envelope' | 'bytes-malformed' | 'binary' | 'size';

export interface Frame {
  kind: FrameKind;
  data: string | Uint8Array;
  binary: boolean;
  /** The id the reply must carry: the request's, or null when it has none that can be read. */
  id: number | null;
  mustFail: boolean;
  /** The words the error must say, when the kind decides them. */
  says?: RegExp;
}

/** A call as the WebSocket carries it: bytes as {"$bytes": base64}, with text JSON.stringify cannot write spliced in. */
export function wireText(envelope: unknown): string {
  const raw: string[] = [];
  const token = (text: string) => {
    raw.push(text);
    return `@@raw${raw.length - 1}@@`;
  };
  const json = JSON.stringify(envelope, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
    if (value instanceof Deep) return token(value.text());
    if (value instanceof RawNumber) return token(value.text);
    if (typeof value === 'bigint') return String(value);
    return value;
  });
  if (json === undefined) return String(envelope);
  return json.replace(/"@@raw(\d+)@@"/g, (_m, i: string) => raw[Number(i)]!);
}

/** Deep values built out, for a transport that carries values rather than text. */
export function asValue(value: unknown): unknown {
  if (value instanceof Deep) return value.value();
  if (value instanceof RawNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(asValue);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: asValue((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

export class FrameGenerator {
  private nextId = 1;

  constructor(readonly g: Generator) {}

  /** A fresh id no other frame uses; some are negative, fractional or huge, as JSON allows. */
  private id(): number {
    const n = this.nextId++;
    switch (this.g.below(8)) {
      case 0: return -n;
      case 1: return n + 0.5;
      case 2: return n * 1e290;
      default: return n;
    }
  }

  frame(): Frame {
    const roll = this.g.r.uniform();
    if (roll < 0.05) return this.notJson();
    if (roll < 0.08) return this.notAnObject();
    if (roll < 0.16) return this.badEnvelope();
    if (roll < 0.19) return this.bytesMalformed();
    if (roll < 0.22) return this.binary();
    const call = this.g.call();
    const id = this.id();
    // A method that is not text is a malformed envelope on the wire.
    const frame: Frame = { kind: call.kind, data: wireText({ id, method: call.method, args: call.args }), binary: false, id, mustFail: call.mustFail };
    if (call.invalid) frame.says = REFUSED_AT_THE_DOOR;
    return frame;
  }

  private notJson(): Frame {
    const g = this.g;
    const data = g.pick([
      '', ' ', '{', '}', '{"id": 1,', "{'id': 1, 'method': 'version', 'args': []}", 'undefined', 'NaN', 'Infinity', '-', '01', '{"id": 1}}', '[1,]',
      '\uFEFF{"id": 1, "method": "version", "args": []}', '{"id": 1, "method": "version", "args": [],}', 'null null', '{"id": 0x10}', '{"id": 1, "method": "version", "args": [NaN]}',
      '{"id": 1, "method": "version", "args": [undefined]}', '{"id": .5}', '{"id": 1, "method": "ver\u0000sion", "args": []}', '"\\x41"', '{"a": "\\uZZZZ"}',
      `#${g.text(200)}`, `{"id": ${this.nextId}, "method": "version", "args": [${'['.repeat(500)}`,
    ]);
    return { kind: 'not-json', data, binary: false, id: null, mustFail: true, says: /not JSON/ };
  }

  private notAnObject(): Frame {
    const data = this.g.pick(['42', '"version"', 'null', 'true', 'false', '[]', '[{"id": 1, "method": "version", "args": []}]', '1e400', '-0', '"\\u0000"', '[[[[]]]]', '""']);
    return { kind: 'not-an-object', data, binary: false, id: null, mustFail: true, says: /not a request/ };
  }

  private badEnvelope(): Frame {
    const g = this.g;
    const readable = g.chance(0.7);
    const id = readable ? this.id() : null;
    const unreadableId = g.pick<unknown>(['7', null, [7], { id: 7 }, true, new RawNumber('1e400'), new RawNumber('-1e400'), '', 'NaN']);
    const envelope: Record<string, unknown> = { id: readable ? id : unreadableId, method: g.pick(METHODS), args: [] };
    if (!readable && g.chance(0.5)) delete envelope['id'];
    // Something else wrong too, so that no envelope here is a request (an unreadable id alone already is not).
    const defect = g.below(readable ? 12 : 13);
    switch (defect) {
      case 0: delete envelope['method']; break;
      case 1: envelope['method'] = g.pick<unknown>([7, null, ['version'], { name: 'version' }, true]); break;
      case 2: envelope['method'] = ''; break;
      case 3: envelope['method'] = 'm'.repeat(101); break;
      case 4: delete envelope['args']; break;
      case 5: envelope['args'] = g.pick<unknown>([{}, 'x', 7, null, { 0: 'x', length: 1 }, true]); break;
      case 6: envelope['args'] = Array.from({ length: 17 + g.below(5) }, () => 0); break;
      case 7: envelope[g.pick(['extra', 'Method', 'ID', 'arg', 'result', 'error'])] = 1; break;
      case 8: return this.rawEnvelope(id, `"__proto__": {"polluted": "envelope"}`);
      case 9: return this.rawEnvelope(id, `"constructor": {"prototype": {"polluted": "envelope"}}`);
      case 10: return this.rawEnvelope(id, `"args": "twice"`);
      case 11: return this.rawEnvelope(id, `"method": 7`);
      default: break;
    }
    return { kind: 'bad-envelope', data: wireText(envelope), binary: false, id, mustFail: true, says: /not a request/ };
  }

  /** An envelope with a key spliced in as text: a prototype key, or a key given twice (the last one counts). */
  private rawEnvelope(id: number | null, extra: string): Frame {
    const head = id === null ? '"id": "none"' : `"id": ${JSON.stringify(id)}`;
    return { kind: 'bad-envelope', data: `{${head}, "method": "listRuns", "args": [], ${extra}}`, binary: false, id, mustFail: true, says: /not a request/ };
  }

  private bytesMalformed(): Frame {
    const g = this.g;
    const id = this.id();
    const bad = g.pick<unknown>([
      { $bytes: 'not base64!' }, { $bytes: 'QQ=' }, { $bytes: 'Q' }, { $bytes: '====' }, { $bytes: 'QQ==\n' }, { $bytes: ' QQ==' }, { $bytes: 'QQ==', more: 1 },
      { $bytes: 123 }, { $bytes: null }, { $bytes: [] }, { $bytes: { $bytes: 'QQ==' } }, { $bytes: 'Q===' }, { $bytes: '\u0000\u0000\u0000\u0000' },
      JSON.parse('{"$bytes": "QQ==", "__proto__": {"polluted": "bytes"}}'), { $bytes: 'QQ==', $Bytes: 'QQ==' },
    ]);
    const method = g.pick(['uploadDataset', 'uploadModel', 'getRun', 'openExample']);
    const args = method === 'uploadDataset' || method === 'uploadModel' ? ['data.csv', bad] : [bad];
    return { kind: 'bytes-malformed', data: wireText({ id, method, args }), binary: false, id, mustFail: true, says: /\$bytes/ };
  }

  private binary(): Frame {
    const g = this.g;
    const data = g.chance(0.3) ? new TextEncoder().encode(JSON.stringify({ id: this.id(), method: 'version', args: [] })) : g.bytes(200);
    return { kind: 'binary', data, binary: true, id: null, mustFail: true, says: /binary/ };
  }
}
