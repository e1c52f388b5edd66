import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { predictFile, predictionsCsv, readPredictionModel, unusedColumnsNote } from '../predict/predict-file';
import { writeFileAtomic } from '../files/atomic';
import { addImportOptions, importOptions, type ImportFlags } from './import-options';
import type { Io } from './io';

export function predictCommand(io: Io): Command {
  return addImportOptions(new Command('predict')
    .description('Predict every row of a CSV file with a saved model; writes the rows with prediction columns added.')
    .argument('<model>', 'an nnlab model file (runs/<id>/model.json in the lab folder) or an ONNX model exported by nnlab')
    .argument('<file.csv>', 'rows to predict, with the columns the model was trained on')
    .option('--out <predictions.csv>', 'write the result here instead of to stdout'))
    .action(async (modelPath: string, file: string, flags: ImportFlags & { out?: string }) => {
      // The same reading and predicting as the lab's predictWithModel (main/predict/predict-file.ts).
      if (flags.out && statSync(flags.out, { throwIfNoEntry: false })?.isDirectory()) {
        throw new Error(`${flags.out} is a folder: give --out a file name, such as ${resolve(flags.out, 'predictions.csv')}.`);
      }
      const model = await readPredictionModel(resolve(modelPath));
      const result = await predictFile(model, resolve(file), importOptions(flags));
      for (const warning of result.importWarnings) io.err(`note: ${warning}`);
      if (result.report.unexpected.length > 0) io.err(`note: ${unusedColumnsNote(result.report.unexpected)}`);
      for (const warning of result.predictionWarnings) io.err(`note: ${warning}`);
      const csv = predictionsCsv(result);
      if (flags.out) {
        await writeFileAtomic(resolve(flags.out), csv);
        io.err(`Wrote ${result.rows.length} predictions to ${flags.out}.`);
      } else {
        io.out(csv.trimEnd());
      }
    });
}
