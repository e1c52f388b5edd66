import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { predictFile, predictionsCsv, readPredictionModel, unusedColumnsNote, type FilePredictions } from '../predict/predict-file';
import { writeFileAtomic } from '../files/atomic';
import { formatNumber, formatPercent, metricsJson, perClassLines } from './format';
import { addImportOptions, importOptions, type ImportFlags } from './import-options';
import type { Io } from './io';

interface PredictFlags extends ImportFlags {
  out?: string;
  json?: boolean;
}

export function predictCommand(io: Io): Command {
  return addImportOptions(new Command('predict')
    .description('Predict every row of a CSV file with a saved model; writes the rows with prediction columns added. A file that holds the target column is also judged: its metrics go to stderr.')
    .argument('<model>', 'an nnlab model file (runs/<id>/model.json in the lab folder) or an ONNX model exported by nnlab')
    .argument('<file.csv>', 'rows to predict, with the columns the model was trained on')
    .option('--out <predictions.csv>', 'write the result here instead of to stdout')
    .option('--json', 'print one JSON object {rows, out, metrics} on the last line of stdout (needs --out for the predictions)'))
    .action(async (modelPath: string, file: string, flags: PredictFlags) => {
      // The same reading and predicting as the lab's predictWithModel (main/predict/predict-file.ts).
      if (flags.json && !flags.out) {
        throw new Error('--json prints the metrics on stdout, so the predictions need a file of their own: add --out predictions.csv.');
      }
      if (flags.out && statSync(flags.out, { throwIfNoEntry: false })?.isDirectory()) {
        throw new Error(`${flags.out} is a folder: give --out a file name, such as ${resolve(flags.out, 'predictions.csv')}.`);
      }
      const model = await readPredictionModel(resolve(modelPath));
      const result = await predictFile(model, resolve(file), importOptions(flags));
      for (const warning of result.importWarnings) io.err(`note: ${warning}`);
      if (result.report.unexpected.length > 0) io.err(`note: ${unusedColumnsNote(result.report.unexpected)}`);
      for (const warning of [...result.predictionWarnings, ...result.truthNotes]) io.err(`note: ${warning}`);
      const csv = predictionsCsv(result);
      if (flags.out) {
        await writeFileAtomic(resolve(flags.out), csv);
        io.err(`Wrote ${result.rows.length} predictions to ${flags.out}.`);
      } else {
        io.out(csv.trimEnd());
      }
      if (flags.json) {
        const metrics = result.truth?.metrics ? { rows: result.truth.rows, ...metricsJson(result.truth.metrics) } : null;
        io.out(JSON.stringify({ rows: result.rows.length, out: flags.out ? resolve(flags.out) : null, metrics }));
      } else {
        for (const line of metricLines(result)) io.err(line);
      }
    });
}

/** The metrics of a file that holds the truth, for stderr: stdout may be carrying the predictions. */
function metricLines({ truth, report, source }: FilePredictions): string[] {
  if (!truth?.metrics) return [];
  const m = truth.metrics;
  const title = `Metrics on ${truth.rows} row${truth.rows === 1 ? '' : 's'} of ${source} against its "${report.target}" column:`;
  if (m.perClass) return [title, `accuracy ${formatPercent(m.accuracy)}`, ...perClassLines('Per class:', m)];
  return [title, `RMSE ${formatNumber(m.rmse)} · MAE ${formatNumber(m.mae)} · R² ${formatNumber(m.r2)}`];
}
