import { resolve } from 'node:path';
import { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { describeIssues } from '../../engine/data/dataset';
import { emptyIssues } from '../../engine/data/preprocessing';
import { predictTable } from '../../engine/model';
import { importCsv } from '../data/import/import-csv';
import { loadModel } from '../model-file';
import { writeFileAtomic } from '../store/atomic';
import { addImportOptions, importOptions, type ImportFlags } from './import-options';
import type { Io } from './io';

export function predictCommand(io: Io): Command {
  return addImportOptions(new Command('predict')
    .description('Predict every row of a CSV file with a saved model; writes the rows with prediction columns added.')
    .argument('<model.json>', 'an nnlab model file (for example runs/<id>/model.json in the lab folder)')
    .argument('<file.csv>', 'rows to predict, with the columns the model was trained on')
    .option('--out <predictions.csv>', 'write the result here instead of to stdout'))
    .action(async (modelPath: string, file: string, flags: ImportFlags & { out?: string }) => {
      const model = await loadModel(resolve(modelPath));
      const options = importOptions(flags);
      options.missingMarkers ??= model.preprocessing.missingMarkers;
      const imported = await importCsv(resolve(file), { ...options, keepText: true });
      const { table } = imported;
      for (const warning of imported.warnings) io.err(`note: ${warning}`);
      const needed = model.preprocessing.features.map((f) => f.column);
      const target = model.preprocessing.target;
      const names = table.columns.map((c) => c.name);
      const unused = names.filter((c) => !needed.includes(c) && c !== target.column);
      if (unused.length > 0) io.err(`note: column${unused.length === 1 ? '' : 's'} not used by the model: ${unused.map((c) => `"${c}"`).join(', ')}.`);

      const issues = emptyIssues();
      const predictions = predictTable(model, table, issues);
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
