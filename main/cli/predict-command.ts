import { resolve } from 'node:path';
import { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { readerFor, describeIssues } from '../../engine/data/dataset';
import { emptyIssues } from '../../engine/data/preprocessing';
import { predictRows } from '../../engine/model';
import { InputError, readCsv } from '../data/read-csv';
import { loadModel } from '../model-file';
import { writeFileAtomic } from '../store/atomic';
import type { Io } from './io';

export function predictCommand(io: Io): Command {
  return new Command('predict')
    .description('Predict every row of a CSV file with a saved model; writes the rows with prediction columns added.')
    .argument('<model.json>', 'an nnlab model file (for example runs/<id>/model.json in the lab folder)')
    .argument('<file.csv>', 'rows to predict, with the columns the model was trained on')
    .option('--out <predictions.csv>', 'write the result here instead of to stdout')
    .action(async (modelPath: string, file: string, flags: { out?: string }) => {
      const model = await loadModel(resolve(modelPath));
      const table = await readCsv(resolve(file));
      const needed = model.preprocessing.features.map((f) => f.column);
      const missing = needed.filter((c) => !table.columns.includes(c));
      if (missing.length > 0) {
        throw new InputError(`${table.source} lacks column${missing.length === 1 ? '' : 's'} the model needs: ${missing.map((c) => `"${c}"`).join(', ')}.`);
      }
      const target = model.preprocessing.target;
      const unused = table.columns.filter((c) => !needed.includes(c) && c !== target.column);
      if (unused.length > 0) io.err(`note: column${unused.length === 1 ? '' : 's'} not used by the model: ${unused.map((c) => `"${c}"`).join(', ')}.`);

      const issues = emptyIssues();
      const predictions = predictRows(model, table.rows, readerFor(table, new Set(model.preprocessing.missingMarkers)), issues);
      for (const warning of describeIssues(issues)) io.err(`note: ${warning.replace('were left out', 'got no prediction').replace('was left out', 'got no prediction')}`);
      const classes = target.kind === 'classes' ? target.classes : [];
      const header = [...table.columns, 'prediction', ...classes.map((c) => `prob_${c}`)];
      const rows = predictions.map((p, r) => [
        ...table.columns.map((_, c) => table.cells[c]![r]!),
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
