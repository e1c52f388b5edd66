import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../main/store/checkpoint';
import type { RunRecord } from '../../common/run-record';
import { dataset, lastJson, runCli, tempHome, type TrainJson } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

/** The float32 weights and biases of a saved model, in the order of the trainer's parameters. */
function modelParameters(path: string): number[] {
  const model = JSON.parse(readFileSync(path, 'utf8')) as { layers: { weights: { data: string }; bias: { data: string } | null }[] };
  return model.layers.flatMap((layer) => [layer.weights, ...(layer.bias ? [layer.bias] : [])]).flatMap((tensor) => {
    const bytes = Buffer.from(tensor.data, 'base64');
    return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
  });
}

describe('nnlab train on a run that diverges after a good epoch', () => {
  it('ends it diverged with the last good epoch’s weights, exits 1 and says what to try; the rollback is in run.json', async () => {
    // Plain gradient descent on a regression at 0.2: epoch 1 is fine, epoch 2 explodes.
    const result = await runCli(['train', dataset('iris.csv'), '--target', 'sepal_length', '--optimizer', 'sgd', '--lr', '0.2', '--epochs', '300', '--home', home.dir, '--json']);
    const out = lastJson<TrainJson & { message: string; model: string }>(result);
    expect(result.code).toBe(1);
    expect(out.status).toBe('diverged');
    expect(out.epochs).toBe(1);
    expect(out.message).toMatch(/Kept the weights from epoch 1; try a learning rate of 0\.02 or lower\.$/);
    const runDir = join(home.dir, 'runs', out.run);
    const checkpoint = await loadCheckpoint(runDir, out.run);
    expect([checkpoint.epoch, checkpoint.cursor]).toEqual([1, 0]);
    expect(modelParameters(out.model)).toEqual(Array.from(checkpoint.parameters));
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
    expect(record.events).toEqual([expect.objectContaining({ kind: 'rollback', epoch: 1, toStep: checkpoint.steps, suggestedLearningRate: 0.02 })]);
  });
});
