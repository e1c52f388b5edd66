import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../main/export/export-run';
import { lastJson, runCli, tempHome } from '../support/cli';
import { nnlabPredict, readModelJson, relativeDelta, RUN_KINDS, storeOf, trainAll, type RunKind, type TrainedRun } from './fixtures';

const home = tempHome();
afterAll(home.cleanup);
let runs: Record<RunKind, TrainedRun>;
let outDir = '';

beforeAll(async () => {
  runs = await trainAll(home.dir);
  outDir = join(home.dir, 'exports');
  mkdirSync(outDir);
});

interface ExportJson {
  format: string;
  files: string[];
  verified: boolean;
  max_delta: number | null;
  rows: number;
  message: string;
}

async function exportCli(id: string, format: string, out: string, extra: string[] = []) {
  return runCli(['export', id, '--format', format, '--out', out, '--home', home.dir, ...extra]);
}

describe('nnlab export', () => {
  it('--format onnx --json prints the export facts as one JSON object and writes the checked file', async () => {
    const out = join(outDir, 'iris.onnx');
    const result = await exportCli(runs.iris.id, 'onnx', out, ['--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const printed = lastJson<ExportJson>(result);
    expect(Object.keys(printed)).toEqual(['format', 'files', 'verified', 'max_delta', 'rows', 'message']);
    expect(printed).toMatchObject({ format: 'onnx', files: [out], verified: true, rows: 30 });
    expect(printed.max_delta).toBeTypeOf('number');
    expect(printed.max_delta!).toBeLessThanOrEqual(1e-5);
    expect(printed.message).toMatch(/^verified: max \|Δ\| = .* on 30 held-back rows$/);
    const expected = (await exportRun(storeOf(home.dir), runs.iris.id, 'onnx')).files[0]!.bytes;
    expect(Buffer.from(readFileSync(out)).equals(Buffer.from(expected))).toBe(true);
  });

  it('says what it wrote and how it was checked without --json', async () => {
    const out = join(outDir, 'iris-plain.npz');
    const result = await exportCli(runs.iris.id, 'npz', out);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    expect(result.stdout).toEqual([`Wrote ${out}`, expect.stringMatching(/^verified: max \|Δ\| = /)]);
    expect(existsSync(out)).toBe(true);
  });

  it('writes the metrics charts next to the CSV, named after it', async () => {
    const out = join(outDir, 'xor-history.csv');
    const result = await exportCli(runs.xor.id, 'metrics', out, ['--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const files = [out, join(outDir, 'xor-history-loss.svg'), join(outDir, 'xor-history-accuracy.svg')];
    expect(lastJson<ExportJson>(result)).toMatchObject({ format: 'metrics', files, verified: true, max_delta: null, rows: 300 });
    for (const f of files) expect(existsSync(f), f).toBe(true);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(301);
  });

  it('writes a Python module that could not be checked, and says so, when python3 is not on the PATH', async () => {
    const out = join(outDir, 'iris-unchecked.py');
    const empty = join(home.dir, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    const path = process.env.PATH;
    process.env.PATH = empty;
    let result;
    try {
      result = await exportCli(runs.iris.id, 'py', out, ['--json']);
    } finally {
      process.env.PATH = path;
    }
    expect(result.code, result.stderr.join('\n')).toBe(0);
    expect(lastJson<ExportJson>(result)).toMatchObject({ verified: false, max_delta: null, message: 'not verified: python3 with NumPy was not found on this machine' });
    expect(readFileSync(out, 'utf8')).toMatch(/^"""iris [\d-]+: a multilayer perceptron trained with nnlab/);
  });
});

describe.each(RUN_KINDS)('nnlab predict with the ONNX export of the %s run', (kind) => {
  it('gives the same predictions as with model.json, probabilities within 1e-5', async () => {
    const run = runs[kind];
    const out = join(outDir, `${kind}.onnx`);
    const exported = await exportCli(run.id, 'onnx', out);
    expect(exported.code, exported.stderr.join('\n')).toBe(0);
    const target = readModelJson(run.model).preprocessing.target;
    const classes = target.kind === 'classes' ? target.classes : null;
    const fromJson = await nnlabPredict(run.model, run.csv, classes);
    const fromOnnx = await nnlabPredict(out, run.csv, classes);
    expect(fromOnnx).toHaveLength(fromJson.length);
    let worst = 0;
    fromJson.forEach((e, r) => {
      const got = fromOnnx[r]!;
      if (classes) {
        expect(got.prediction).toBe(e.prediction);
        e.probabilities?.forEach((p, j) => { worst = Math.max(worst, Math.abs(p - got.probabilities![j]!)); });
        expect(got.probabilities === null).toBe(e.probabilities === null);
      } else {
        worst = Math.max(worst, relativeDelta(Number(e.prediction), Number(got.prediction)));
      }
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
    // Rows the drop-policy model cannot predict get no prediction from either file.
    if (kind === 'no-bias') expect(fromOnnx.filter((p) => p.prediction === '').length).toBeGreaterThan(0);
  });
});

describe('nnlab export refuses with one plain sentence', () => {
  const expectPlainError = (result: { code: number; stderr: string[] }, message: RegExp) => {
    expect(result.code).not.toBe(0);
    const text = result.stderr.join('\n');
    expect(text).toMatch(message);
    expect(text).not.toMatch(/\n\s+at /);
  };

  it('an unknown format', async () => {
    const out = join(outDir, 'iris.pdf');
    const result = await exportCli(runs.iris.id, 'pdf', out);
    expectPlainError(result, /--format.*expected one of json, onnx, npz, js, py, torch, metrics, got "pdf"/);
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown run', async () => {
    const out = join(outDir, 'nothing.onnx');
    expectPlainError(await exportCli('20990101-000000-abcd', 'onnx', out), /^nnlab: There is no run "20990101-000000-abcd" in /);
    expectPlainError(await exportCli('iris', 'onnx', out), /^nnlab: "iris" is not a run id/);
    expect(existsSync(out)).toBe(false);
  });

  it('a run without a trained model', async () => {
    const id = '20990101-000000-beef';
    const record = JSON.parse(readFileSync(join(runs.iris.runDir, 'run.json'), 'utf8')) as Record<string, unknown>;
    mkdirSync(join(home.dir, 'runs', id));
    writeFileSync(join(home.dir, 'runs', id, 'run.json'), JSON.stringify({ ...record, id }));
    try {
      const out = join(outDir, 'untrained.onnx');
      expectPlainError(await exportCli(id, 'onnx', out), /^nnlab: Run 20990101-000000-beef has no trained model yet/);
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(join(home.dir, 'runs', id), { recursive: true, force: true });
    }
  });

  it('leaves nothing behind in the output folder when it refuses', () => {
    expect(readdirSync(outDir).filter((f) => /pdf|nothing|untrained/.test(f))).toEqual([]);
  });
});

describe('nnlab export --out a folder', () => {
  it('writes the file named after the run into an existing folder, or one named with a trailing slash', async () => {
    const folder = join(outDir, 'into-folder');
    mkdirSync(folder);
    const result = await exportCli(runs.iris.id, 'js', folder, ['--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const { files } = lastJson<ExportJson>(result);
    expect(files).toHaveLength(1);
    expect(files[0]!.startsWith(`${folder}/`)).toBe(true);
    expect(readdirSync(folder)).toEqual([files[0]!.split('/').pop()]);

    const fresh = join(outDir, 'new-folder');
    const second = await exportCli(runs.iris.id, 'metrics', `${fresh}/`, ['--json']);
    expect(second.code, second.stderr.join('\n')).toBe(0);
    expect(lastJson<ExportJson>(second).files.every((f) => f.startsWith(`${fresh}/`))).toBe(true);
    expect(readdirSync(fresh)).toHaveLength(3);
  });
});
