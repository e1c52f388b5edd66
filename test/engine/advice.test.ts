import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADVICE_IDS, advise, inAppWords, type AdviceId } from '../../engine/advice';
import { DEFAULT_MISSING_MARKERS } from '../../engine/data/table';
import { inferTask } from '../../engine/data/task';
import { tooLittleData } from '../../engine/data/too-little-data';
import { columnTable, describeTable } from '../data/helpers';

const ARGS: Partial<Record<AdviceId, string>> = { layers: '128,3', moreEpochs: '41', resume: '20261202-031500-ab12' };
const target = (cells: string[], name: string) => describeTable(columnTable(name, cells), new Set(DEFAULT_MISSING_MARKERS))[0]!;

describe('advice: one message, the command line’s flag or the app’s control', () => {
  it('says each step in the command line’s words, and the app puts its control in their place', () => {
    const app = Object.fromEntries(ADVICE_IDS.map((id) => [id, inAppWords(advise(id, ARGS[id] ?? ''))]));
    expect(app).toEqual({
      taskRegression: 'choose Regression in Task',
      taskClassification: 'choose Classification in Task',
      missingImpute: 'choose “fill in” in Missing values',
      missingDrop: 'choose “leave the row out” in Missing values',
      missingMarker: 'empty that cell so that it counts as missing',
      taskEither: 'choose Classification or Regression in Task',
      missingMarkers: 'empty those cells so that they count as missing',
      otherTarget: 'choose another Target, or make its role feature',
      keepHeldOut: 'keep Validation fraction or Test fraction above 0',
      header: 'give one of its columns a name that is not a number',
      delimiter: 'save the file with one of them between its fields',
      realEncoding: 'save it as UTF-8',
      encoding: 'and open it again',
      layers: 'hidden layers of 128 and 3 neurons',
      resume: 'resume it in Runs (Resume)',
      moreEpochs: 'Epochs of 41 or more',
      lowerRate: 'lower the Learning rate',
      higherRate: 'raise the Learning rate',
      adam: 'choose Adam in Optimiser',
      leakyRelu: 'choose leaky ReLU in the layers’ Activation',
      reluLayers: 'choose ReLU in the layers’ Activation',
      initGlorot: 'choose Glorot uniform in Initialiser',
      initHe: 'choose He normal in Initialiser',
      standardize: 'tick Standardise numeric features',
      balanced: 'choose Balanced in Class weights',
    });
    for (const id of ADVICE_IDS) {
      const cli = advise(id, ARGS[id] ?? '');
      expect(cli, id).toMatch(/--[a-z]|nnlab runs/);
      expect(inAppWords(cli), id).not.toMatch(/--[a-z]|nnlab /);
      // At a sentence's start both are capitalised.
      const start = advise(id, ARGS[id] ?? '', true);
      expect(start.charAt(0), id).toBe(start.charAt(0).toUpperCase());
      if (/^[a-z]/i.test(start)) expect(inAppWords(start).charAt(0), id).toBe(inAppWords(start).charAt(0).toUpperCase());
    }
  });

  it('keeps the facts of a real message and changes only the words for the control', () => {
    const codes = inferTask(target(Array.from({ length: 12 }, (_, i) => String(i % 3)), 'grade'));
    expect(codes.reason).toBe('The target "grade" holds 3 distinct whole numbers, so they are treated as class codes; use --task regression to predict it as a number.');
    expect(inAppWords(codes.reason)).toBe('The target "grade" holds 3 distinct whole numbers, so they are treated as class codes; choose Regression in Task to predict it as a number.');
    expect(() => inferTask(target(['a', 'b', 'a', 'b'], 'kind'), 'regression')).toThrow('Use --task classification, or pick a numeric target.');
    try {
      inferTask(target(['a', 'b', 'a', 'b'], 'kind'), 'regression');
    } catch (error) {
      expect(inAppWords((error as Error).message)).toBe('The target "kind" is not numeric, so it cannot be predicted as a number (regression). Choose Classification in Task, or pick a numeric target.');
    }
    const judged = tooLittleData(40, 0, 0);
    expect(judged).toMatch(/; keep --val or --test above 0 to judge it\.$/);
    expect(inAppWords(judged)).toMatch(/; keep Validation fraction or Test fraction above 0 to judge it\.$/);
    const interrupted = `The training process was killed (SIGKILL); run r1 is left interrupted at its last checkpoint. ${advise('resume', 'r1', true)}`;
    expect(interrupted).toMatch(/Resume it with: nnlab runs resume r1$/);
    expect(inAppWords(interrupted)).toBe('The training process was killed (SIGKILL); run r1 is left interrupted at its last checkpoint. Resume it in Runs (Resume)');
  });

  it('leaves a message without advice as it is', () => {
    const plain = 'iris.csv has a header but no data rows. Add rows below the header.';
    expect(inAppWords(plain)).toBe(plain);
    expect(inAppWords('a value of --3 is not a flag')).toBe('a value of --3 is not a flag');
  });

  it('is how every message of the engine and the lab names a flag: none writes one by hand', () => {
    const roots = ['engine', 'main/data', 'main/training', 'main/lab', 'main/predict', 'main/worker'];
    const files = roots.flatMap(function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') && !path.endsWith('advice.ts') ? [path] : [];
      });
    });
    const handWritten = files.flatMap((file) => readFileSync(file, 'utf8').split('\n')
      .map((line, i) => ({ where: `${file}:${i + 1}`, line }))
      .filter(({ line }) => !/^\s*(\/\/|\*|\/\*)/.test(line) && /[`'"][^`'"]*(with|use|Use|keep|allow|example) --[a-z]/.test(line)));
    expect(handWritten.map((h) => h.where)).toEqual([]);
  });
});
