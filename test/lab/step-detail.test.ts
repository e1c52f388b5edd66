import { afterAll, describe, expect, it } from 'vitest';
import type { SnapshotLayer } from '../../common/lab-api';
import { LabBackend } from '../../main/lab/lab-backend';
import { tempHome } from '../support/cli';
import { sessionArgs } from '../support/settings';
import { launcher, runDone } from './session-helpers';

/** stepInDetail: one mini-batch of a live run, traced by the engine, agreeing with the weights the lab holds before and after. */
const home = tempHome();
const lab = new LabBackend(home.dir, launcher);
afterAll(() => {
  lab.shutdown();
  home.cleanup();
});

/** The top-left corner of a layer's weights (inputs × units), as the trace shows it. */
function corner(layer: SnapshotLayer, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.push(layer.weights[r * layer.units + c]!);
  return out;
}

describe('a step in detail', () => {
  it('shows the weights the lab held before the step and holds after it, exactly, and advances the run by one step', async () => {
    const iris = await lab.openExample('iris');
    const session = await lab.createSession(iris.id, ...sessionArgs({ layers: [16], batch: 10, epochs: 20 }));
    await lab.step(session.run, 2);
    const before = await lab.snapshot(session.run);
    const stepBefore = (await lab.sessions()).find((s) => s.run === session.run)!.progress!.step;

    const { trace, status } = await lab.stepInDetail(session.run);
    const after = await lab.snapshot(session.run);

    expect(trace.step).toBe(stepBefore + 1);
    expect(status.progress!.step).toBe(stepBefore + 1);
    expect(status.state).toBe('paused');
    expect(trace.optimizer.name).toBe('adam');
    expect(trace.layers.map((l) => [l.inputs, l.units])).toEqual([[4, 16], [16, 3]]);
    trace.layers.forEach((layer, l) => {
      const { shownRows, shownCols } = layer.weights.before;
      expect(layer.weights.before.values).toEqual(corner(before[l]!, shownRows, shownCols));
      expect(layer.weights.after.values).toEqual(corner(after[l]!, shownRows, shownCols));
      expect(layer.bias!.before.values).toEqual(Array.from(before[l]!.bias!).slice(0, layer.bias!.before.shownCols));
      expect(layer.bias!.after.values).toEqual(Array.from(after[l]!.bias!).slice(0, layer.bias!.after.shownCols));
      expect(layer.weights.after.values).not.toEqual(layer.weights.before.values);
    });
    expect(trace.batchRows).toBe(10);
    expect(trace.trainingRows).toHaveLength(10);
    expect(trace.fileRows!.every((row) => row >= 1 && row <= 150)).toBe(true);
    await lab.stop(session.run);
  });

  it('ends a run whose last step it takes, and the saved model holds the weights shown after it', async () => {
    const iris = await lab.openExample('iris');
    const session = await lab.createSession(iris.id, ...sessionArgs({ layers: [6], batch: 'full', epochs: 1 }));
    const done = runDone(lab, session.run);
    const { trace } = await lab.stepInDetail(session.run);
    expect(trace.status).toBe('finished');
    expect((await done).status).toBe('finished');
    const saved = await lab.snapshot(session.run);
    trace.layers.forEach((layer, l) => {
      expect(layer.weights.after.values).toEqual(corner(saved[l]!, layer.weights.after.shownRows, layer.weights.after.shownCols));
    });
    expect(trace.trainingRows).toHaveLength(trace.batchRows);
    await expect(lab.stepInDetail(session.run)).rejects.toThrow(/not training in this lab|has ended/);
  });

  it('refuses a run that is training, in a sentence', async () => {
    const iris = await lab.openExample('iris');
    const session = await lab.createSession(iris.id, ...sessionArgs({ layers: [8], batch: 4, epochs: 100_000 }));
    await lab.start(session.run);
    await expect(lab.stepInDetail(session.run)).rejects.toThrow('Pause training before stepping through it in detail.');
    await lab.stop(session.run);
    await expect(lab.call('stepInDetail', [])).rejects.toThrow(/Invalid arguments for stepInDetail/);
  });
});
