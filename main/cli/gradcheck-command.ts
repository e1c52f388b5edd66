import { Command } from 'commander';
import { ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE, type TensorCheck } from '../../engine/gradient-check';
import { resolveLabHome } from '../lab-home';
import { RunStore } from '../store/run-store';
import { checkRunGradients, type RunGradientCheck } from '../training/run-gradients';
import { textTable } from './format';
import type { Io } from './io';

interface GradcheckFlags {
  home?: string;
  json?: boolean;
}

const error = (value: number) => value.toExponential(1);
const tensorCells = (t: TensorCheck | null) => (t ? [error(t.maxRelativeError), error(t.maxAbsoluteError), t.checked === t.of ? `${t.of}` : `${t.checked} of ${t.of}`] : ['–', '–', '–']);
const tensorJson = (t: TensorCheck | null) => (t ? { max_relative_error: t.maxRelativeError, max_absolute_error: t.maxAbsoluteError, checked: t.checked, of: t.of, failed: t.failed } : null);

export function checkJson(check: RunGradientCheck): Record<string, unknown> {
  return {
    run: check.run,
    passed: check.passed,
    weights: check.weights,
    rows: check.rows,
    max_relative_error: check.maxRelativeError,
    layers: check.layers.map((l) => ({
      layer: l.layer, inputs: l.inputs, units: l.units, activation: l.activation, passed: l.passed, weights: tensorJson(l.weights), bias: tensorJson(l.bias),
    })),
  };
}

function checkText(check: RunGradientCheck): string {
  const header = ['layer', 'shape', 'activation', 'weights: max rel. error', 'abs.', 'checked', 'biases: max rel. error', 'abs.', 'checked', 'verdict'];
  const rows = check.layers.map((l) => [
    `${l.layer}`, `${l.inputs} → ${l.units}`, l.activation, ...tensorCells(l.weights), ...tensorCells(l.bias), l.passed ? 'passed' : 'failed',
  ]);
  const of = check.weights === 'model' ? 'the saved model' : 'the last checkpoint (the run has no saved model yet)';
  const tolerance = `a relative ${RELATIVE_TOLERANCE} or an absolute ${ABSOLUTE_TOLERANCE}`;
  const failed = check.layers.filter((l) => !l.passed);
  const verdict = check.passed
    ? `Passed: backpropagation agrees with central finite differences to ${tolerance} on every value checked (a relative error is large only where the gradient itself is near 0).`
    : `Failed: on ${failed.map((l) => `layer ${l.layer}`).join(', ')}, ${failed.reduce((n, l) => n + l.weights.failed + (l.bias?.failed ?? 0), 0)} values' gradients differ from finite differences by more than ${tolerance}.`;
  return [`Gradient check of run ${check.run}: ${of}, in float64, on its first ${check.rows} training rows.`, '', textTable([header, ...rows]), '', verdict].join('\n');
}

export function gradcheckCommand(io: Io): Command {
  return new Command('gradcheck')
    .description('Check a run\'s backpropagation against finite differences, layer by layer, on its own weights and training rows.')
    .argument('<run>', 'the id of a run in the lab folder (nnlab runs list)')
    .option('--home <dir>', 'the lab folder (default: NNLAB_HOME, else the desktop app’s data folder)')
    .option('--json', 'print one JSON object on the last line of stdout')
    .action(async (run: string, flags: GradcheckFlags) => {
      const check = await checkRunGradients(new RunStore(resolveLabHome(flags.home, io.env)), run);
      io.out(flags.json ? JSON.stringify(checkJson(check)) : checkText(check));
      // A failed check is a finding a script can act on, as a failed test is.
      io.exitCode = check.passed ? 0 : 1;
    });
}
