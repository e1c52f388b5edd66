import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { describeIssues } from '../../engine/data/dataset';
import { emptyIssues } from '../../engine/data/preprocessing';
import { predictTable } from '../../engine/model';
import { importCsv } from '../data/import/import-csv';
import { loadOnnxModel, predictTableOnnx } from '../export/onnx-predict';
import { loadModel } from '../model-file';
import { writeFileAtomic } from '../store/atomic';
import { addImportOptions, importOptions, type ImportFlags } from './import-options';
import type { Io } from './io';

export function predictCommand(io: Io): Command {
  return addImportOptions(new Command('predict')
    .description('Predict every row of a CSV file with a saved model; writes the rows with prediction columns added.')
    .argument('<model>', 'an nnlab model file (runs/<id>/model.json in the lab folder) or an ONNX model exported by nnlab')
    .argument('<file.csv>', 'rows to predict, with the columns the model was trained on')
    .option('--out <predictions.csv>', 'write the result here instead of to stdout'))
    .action(async (modelPath: string, file: string, flags: ImportFlags & { out?: string }) => {
      // nnlab's model files are JSON; anything else is read as ONNX, whatever its name.
      const isOnnx = modelPath.toLowerCase().endsWith('.onnx') || !(await startsLikeJson(resolve(modelPath)));
      const onnx = isOnnx ? await loadOnnxModel(resolve(modelPath)) : null;
      const model = onnx ? null : await loadModel(resolve(modelPath));
      const preprocessing = onnx ? onnx.preprocessing : model!.preprocessing;
      const options = importOptions(flags);
      options.missingMarkers ??= preprocessing.missingMarkers;
      const imported = await importCsv(resolve(file), { ...options, keepText: true });
      const { table } = imported;
      for (const warning of imported.warnings) io.err(`note: ${warning}`);
      const needed = preprocessing.features.map((f) => f.column);
      const target = preprocessing.target;
      const names = table.columns.map((c) => c.name);
      const unused = names.filter((c) => !needed.includes(c) && c !== target.column);
      if (unused.length > 0) io.err(`note: column${unused.length === 1 ? '' : 's'} not used by the model: ${unused.map((c) => `"${c}"`).join(', ')}.`);

      const issues = emptyIssues();
      const predictions = onnx ? await predictTableOnnx(onnx, table, issues) : predictTable(model!, table, issues);
      for (const warning of describeIssues(issues)) io.err(`note: ${warning.replace(/(were|was) left out/, 'got no prediction')}`);
      const classes = target.kind === 'classes' ? target.classes : [];
      const header = [...names, 'prediction', ...classes.map((c) => `prob_${c}`)];
      const rows = predictions.map((p, r) => [
        ...imported.text![r]!,
        p.prediction === null ? '' : String(p.prediction),
        ...classes.map((_, i) => (p.probabilities ? String(p.probabilities[i]) : '')),
      ]);
      const csv = stringify([header, ...rows]);
      if (flags.out) {
        await writeFileAtomic(resolve(flags.out), csv);
        io.err(`Wrote ${rows.length} predictions to ${flags.out}.`);
      } else {
        io.out(csv.trimEnd());
      }
    });
}

async function startsLikeJson(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return true;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').trimStart().startsWith('{');
  } finally {
    await handle.close();
  }
}
