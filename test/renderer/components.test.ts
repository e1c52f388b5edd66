import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TrainSettings } from '../../renderer/src/lib/settings';
import { harnessPages } from './support';

/** `window.harness` of the page, reached from functions that run there (through evaluate). */
interface Harness {
  settings(): TrainSettings;
  learningRates(): number[];
  set(changes: Record<string, unknown>): void;
}

/** The architecture editor and the training form, mounted alone in Chromium and driven by their accessible names. */
const { open } = harnessPages();

/** The settings the component wrote, with the hidden layers read as their widths and activations (the first one as `activation`). */
const writtenSettings = (page: Page) => page.evaluate(() => (globalThis as unknown as { harness: Harness }).harness.settings()) as Promise<TrainSettings>;
const settings = async (page: Page) => {
  const written = await writtenSettings(page);
  const activations = written.layers.map((l) => l.activation);
  return { ...written, layers: written.layers.map((l) => l.units), activations, activation: activations[0] };
};
const neurons = (page: Page, n: number) => page.getByRole('spinbutton', { name: `Neurons in layer ${n}`, exact: true });
const activation = (page: Page, n: number) => page.getByRole('combobox', { name: `Activation of layer ${n}`, exact: true });
const parameters = (page: Page) => page.getByTestId('parameter-count').textContent();

describe('architecture editor', () => {
  it('shows every hidden layer by its accessible names, with the parameter count', async () => {
    const page = await open('architecture', { inputs: 4, task: 'multiclass', classes: 3 });
    expect(await neurons(page, 1).inputValue()).toBe('16');
    expect(await neurons(page, 2).inputValue()).toBe('8');
    expect(await activation(page, 1).inputValue()).toBe('relu');
    expect(await neurons(page, 3).count()).toBe(0);
    // 4·16 + 16 + 16·8 + 8 + 8·3 + 3
    expect(await parameters(page)).toBe('243');
    await expect(page.getByText('3 units · softmax').count()).resolves.toBe(1);
    await page.close();
  });

  it('adds a layer like the last one, and removes any layer', async () => {
    const page = await open('architecture', { inputs: 4, task: 'multiclass', classes: 3 });
    await activation(page, 2).selectOption('tanh');
    await page.getByRole('button', { name: 'Add layer' }).click();
    expect(await neurons(page, 3).inputValue()).toBe('8');
    expect(await activation(page, 3).inputValue()).toBe('tanh');
    expect((await settings(page)).layers).toEqual([16, 8, 8]);
    expect(await parameters(page)).toBe(String(4 * 16 + 16 + 16 * 8 + 8 + 8 * 8 + 8 + 8 * 3 + 3));
    await page.getByRole('button', { name: 'Remove layer 1' }).click();
    const s = await settings(page);
    expect(s.layers).toEqual([8, 8]);
    expect(s.activations).toEqual(['tanh', 'tanh']);
    expect(s.activation).toBe('tanh');
    expect(await neurons(page, 1).inputValue()).toBe('8');
    await page.close();
  });

  it('edits neurons and activations, refusing sizes that cannot be', async () => {
    const page = await open('architecture', { inputs: 2, task: 'binary', classes: 2 });
    await neurons(page, 1).fill('3');
    await activation(page, 1).selectOption('sigmoid');
    let s = await settings(page);
    expect(s.layers).toEqual([3, 8]);
    expect(s.activations).toEqual(['sigmoid', 'relu']);
    expect(s.activation).toBe('sigmoid');
    expect(await parameters(page)).toBe(String(2 * 3 + 3 + 3 * 8 + 8 + 8 + 1));
    await neurons(page, 2).fill('0');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Neurons in layer 2 must be a whole number from 1 to 100,000.');
    expect(await neurons(page, 2).getAttribute('aria-invalid')).toBe('true');
    s = await settings(page);
    expect(s.layers).toEqual([3, 8]);
    await neurons(page, 2).fill('5');
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    expect((await settings(page)).layers).toEqual([3, 5]);
    await page.close();
  });

  it('reorders layers with their activations', async () => {
    const page = await open('architecture');
    await activation(page, 1).selectOption('leaky_relu');
    await page.getByRole('button', { name: 'Move layer 2 up' }).click();
    const s = await settings(page);
    expect(s.layers).toEqual([8, 16]);
    expect(s.activations).toEqual(['relu', 'leaky_relu']);
    expect(await page.getByRole('button', { name: 'Move layer 1 up' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Move layer 2 down' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Move layer 1 down' }).click();
    expect((await settings(page)).layers).toEqual([16, 8]);
    await page.close();
  });

  it('follows the task for the output layer, and warns of odd loss pairings', async () => {
    const page = await open('architecture', { inputs: 4, task: 'multiclass', classes: 3 });
    await page.getByRole('combobox', { name: 'Loss' }).selectOption('mse');
    await expect(page.getByRole('note').textContent()).resolves.toMatch(/softmax output trained with mean squared error learns slowly/);
    await page.evaluate(() => (globalThis as unknown as { harness: Harness }).harness.set({ task: 'regression', classes: 1 }));
    await page.getByRole('combobox', { name: 'Loss' }).selectOption('bce');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/is for classes/);
    await expect(page.getByText('1 unit · linear').count()).resolves.toBe(1);
    await page.getByRole('combobox', { name: 'Loss' }).selectOption('auto');
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await page.close();
  });

  it('works from the keyboard alone', async () => {
    const page = await open('architecture');
    await page.getByRole('button', { name: 'Add layer' }).focus();
    await page.keyboard.press('Enter');
    expect((await settings(page)).layers).toEqual([16, 8, 8]);
    await neurons(page, 3).focus();
    await page.keyboard.press('ArrowUp');
    expect((await settings(page)).layers).toEqual([16, 8, 9]);
    await page.getByRole('button', { name: 'Remove layer 3' }).focus();
    await page.keyboard.press('Space');
    expect((await settings(page)).layers).toEqual([16, 8]);
    await page.close();
  });
});

describe('training form', () => {
  const field = (page: Page, name: string) => page.getByRole('spinbutton', { name, exact: true });

  it('names every setting and starts from the defaults', async () => {
    const page = await open('training');
    expect(await field(page, 'Learning rate').inputValue()).toBe('0.01');
    expect(await field(page, 'Epochs').inputValue()).toBe('500');
    expect(await field(page, 'Batch size').inputValue()).toBe('32');
    expect(await field(page, 'L2').inputValue()).toBe('0');
    expect(await field(page, 'Seed').inputValue()).toBe('1');
    expect(await field(page, 'Validation fraction').inputValue()).toBe('0.2');
    expect(await page.getByRole('combobox', { name: 'Optimiser' }).inputValue()).toBe('adam');
    expect(await page.getByRole('checkbox', { name: 'Early stopping' }).isChecked()).toBe(true);
    expect(await field(page, 'Patience (epochs)').inputValue()).toBe('20');
    expect(await field(page, 'Patience (mini-batches)').inputValue()).toBe('500');
    expect(await field(page, 'Minimum improvement').inputValue()).toBe('0.0001');
    expect(await page.getByRole('combobox', { name: 'Schedule' }).inputValue()).toBe('plateau');
    await page.close();
  });

  it('weighs classes when Balanced is chosen, and is switched off for a number to predict', async () => {
    const page = await open('training');
    const control = page.getByRole('combobox', { name: 'Class weights' });
    expect(await control.inputValue()).toBe('none');
    expect((await settings(page)).classWeight).toBe('none');
    await control.selectOption({ label: 'Balanced' });
    expect((await settings(page)).classWeight).toBe('balanced');
    await page.evaluate(() => (globalThis as unknown as { harness: Harness }).harness.set({ task: 'regression' }));
    expect(await control.isDisabled()).toBe(true);
    expect(await control.inputValue()).toBe('none');
    await page.evaluate(() => (globalThis as unknown as { harness: Harness }).harness.set({ task: 'binary' }));
    expect(await control.isEnabled()).toBe(true);
    expect(await control.inputValue()).toBe('balanced');
    await page.close();
  });

  it('writes valid values into the settings and explains invalid ones', async () => {
    const page = await open('training');
    await field(page, 'Epochs').fill('500');
    await field(page, 'Learning rate').fill('0.3');
    await field(page, 'Seed').fill('42');
    let s = await settings(page);
    expect([s.epochs, s.learningRate, s.seed]).toEqual([500, 0.3, 42]);
    expect(await page.evaluate(() => (globalThis as unknown as { harness: Harness }).harness.learningRates())).toContain(0.3);
    await field(page, 'Learning rate').fill('0');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Learning rate must be greater than 0.');
    await field(page, 'Epochs').fill('2.5');
    await expect(page.getByRole('alert').nth(1).textContent()).resolves.toBe('Epochs must be a whole number.');
    s = await settings(page);
    expect([s.epochs, s.learningRate]).toEqual([500, 0.3]);
    await page.close();
  });

  it('commits a learning rate once it is entered, not at every keystroke', async () => {
    const page = await open('training');
    const rates = () => page.evaluate(() => (globalThis as unknown as { harness: Harness }).harness.learningRates());
    await field(page, 'Learning rate').fill('');
    await field(page, 'Learning rate').pressSequentially('0.015');
    expect(await rates()).toEqual([]);
    await field(page, 'Learning rate').press('Tab');
    expect(await rates()).toEqual([0.015]);
    expect((await settings(page)).learningRate).toBe(0.015);
    await page.close();
  });

  it('switches to full batches, early stopping off, and momentum for momentum optimisers', async () => {
    const page = await open('training');
    await page.getByRole('checkbox', { name: 'Full batch' }).check();
    expect((await settings(page)).batch).toBe('full');
    expect(await field(page, 'Batch size').isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: 'Full batch' }).uncheck();
    expect((await settings(page)).batch).toBe(32);
    await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
    expect((await settings(page)).earlyStop).toBeNull();
    expect(await field(page, 'Patience (epochs)').count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Early stopping' }).check();
    expect((await settings(page)).earlyStop).toBe(20);
    expect(await field(page, 'Momentum').count()).toBe(0);
    await page.getByRole('combobox', { name: 'Optimiser' }).selectOption('nesterov');
    await field(page, 'Momentum').fill('0.5');
    const s = await settings(page);
    expect([s.optimizer, s.momentum]).toEqual(['nesterov', 0.5]);
    await page.close();
  });

  it('shows settings that are replaced after it is shown (an opened run’s batch size and patience)', async () => {
    const page = await open('training');
    const replaced = { ...(await writtenSettings(page)), batch: 10, earlyStop: 5, epochs: 30 };
    await page.evaluate((s) => (globalThis as unknown as { harness: Harness }).harness.set({ settings: s }), replaced);
    await expect(field(page, 'Epochs').inputValue()).resolves.toBe('30');
    expect(await field(page, 'Batch size').inputValue()).toBe('10');
    expect(await field(page, 'Patience (epochs)').inputValue()).toBe('5');
    // Switching full batch and early stopping off and on again comes back to the run's values, not the defaults.
    await page.getByRole('checkbox', { name: 'Full batch' }).check();
    await page.getByRole('checkbox', { name: 'Full batch' }).uncheck();
    await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
    await page.getByRole('checkbox', { name: 'Early stopping' }).check();
    const s = await settings(page);
    expect([s.batch, s.earlyStop]).toEqual([10, 5]);
    await page.close();
  });

  it('offers Auto for missing values, the default, and a choice of kernels', async () => {
    const page = await open('training');
    const missing = page.getByRole('combobox', { name: 'Missing values' });
    const kernels = page.getByRole('combobox', { name: 'Kernels' });
    expect(await missing.inputValue()).toBe('auto');
    expect(await missing.locator('option:checked').textContent()).toBe('Auto');
    expect(await kernels.inputValue()).toBe('wasm-fma');
    await missing.selectOption('drop');
    await kernels.selectOption({ label: 'JavaScript (reference)' });
    const s = await settings(page);
    expect([s.missingPolicy, s.kernels]).toEqual(['drop', 'js']);
    await missing.selectOption({ label: 'Auto' });
    expect((await settings(page)).missingPolicy).toBe('auto');
    await page.close();
  });

  it('refuses splits that leave nothing to train on', async () => {
    const page = await open('training');
    await field(page, 'Validation fraction').fill('0.6');
    await field(page, 'Test fraction').fill('0.5');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/leave no rows to train on/);
    await page.close();
  });
});

describe('results', () => {
  /** The cells of a table, row by row, as the page shows them. */
  const cells = async (page: Page, name: string) => {
    const rows = await page.getByRole('table', { name, exact: true }).getByRole('row').all();
    return Promise.all(rows.map(async (row) => (await row.locator('th, td').allTextContents()).map((text) => text.trim())));
  };

  it('shows the per-class metrics, their averages and balanced accuracy beside the confusion matrix', async () => {
    const page = await open('results', { task: 'multiclass' });
    expect(await cells(page, 'Per-class metrics')).toEqual([
      ['class', 'precision', 'recall', 'F1', 'support'],
      ['a', '0.5', '0.75', '0.6', '4'],
      ['b', '0.4', '0.667', '0.5', '3'],
      ['c', '1', '0.2', '0.333', '5'],
      ['macro avg', '0.633', '0.539', '0.478', '12'],
      ['weighted avg', '0.683', '0.5', '0.464', '12'],
      ['balanced accuracy', '53.9 %'],
    ]);
    const matrix = await page.getByRole('table', { name: /^Confusion matrix/ }).boundingBox();
    const report = await page.getByRole('table', { name: 'Per-class metrics', exact: true }).boundingBox();
    // Side by side: the report starts right of the matrix, and their tops line up.
    expect(report!.x).toBeGreaterThanOrEqual(matrix!.x + matrix!.width);
    expect(Math.abs(report!.y - matrix!.y)).toBeLessThan(2);
    await page.close();
  });

  it('shows MAE with RMSE and R² for a regression, and no per-class table', async () => {
    const page = await open('results', { task: 'regression' });
    const terms = await page.locator('dl.metrics dt').allTextContents();
    expect(terms).toEqual(['loss', 'RMSE', 'MAE', 'R²']);
    expect(await page.locator('dl.metrics dd').allTextContents()).toEqual(['0.02', '12.5', '9.75', '0.97']);
    expect(await page.getByRole('table', { name: 'Per-class metrics' }).count()).toBe(0);
    await page.close();
  });

  const metrics = (loss: number, accuracy: number) => ({ loss, accuracy });
  const evaluation = (test: { loss: number; accuracy: number }, linearTest: { loss: number; accuracy: number } | null) => ({
    run: 'r', split: 'test', task: 'binary', target: 'y', metrics: test, features: ['x'], classes: ['a', 'b'], confusion: [[1, 0], [0, 1]],
    rows: [{ features: [1], truth: 'a', prediction: 'a', probabilities: [0.9, 0.1] }], total: 2,
    baselines: {
      constant: { name: 'majority', train: metrics(0.69, 0.5), val: null, test: metrics(0.6931, 0.5) },
      linear: linearTest ? { train: metrics(0.5, 0.75), val: null, test: linearTest, epochs: 10, itself: false, message: '' } : null,
      note: linearTest ? '' : 'The linear baseline was left out: training was stopped while it was being trained.',
    },
  });
  const rowsOf = (page: Page) => page.getByRole('region', { name: 'Baselines' }).getByRole('row').allInnerTexts();

  it('shows the network beside the majority and linear baselines on the held-out rows, and says when it does no better', async () => {
    const page = await open('results');
    await page.evaluate((e) => (globalThis as unknown as { harness: { set(c: unknown): void } }).harness.set({ evaluation: e }), evaluation(metrics(0.4, 0.6), metrics(0.35, 0.7)));
    const baselines = page.getByRole('region', { name: 'Baselines' });
    await baselines.waitFor();
    const rows = (await rowsOf(page)).map((r) => r.split('\t').map((c) => c.trim()));
    expect(rows).toEqual([['model', 'loss', 'accuracy'], ['this network', '0.4', '60.0 %'], ['majority baseline', '0.6931', '50.0 %'], ['linear baseline', '0.35', '70.0 %']]);
    await expect(baselines.getByText('The network does no better than the linear baseline on the test rows (accuracy 60.0 % against 70.0 %)').count()).resolves.toBe(1);

    // A better network; the linear baseline left out by a stop: the note says so and the verdict is against the majority class.
    await page.evaluate((e) => (globalThis as unknown as { harness: { set(c: unknown): void } }).harness.set({ evaluation: e }), evaluation(metrics(0.1, 0.9), null));
    await expect.poll(() => rowsOf(page).then((r) => r.length)).toBe(3);
    await expect(baselines.getByText('The linear baseline was left out').count()).resolves.toBe(1);
    await expect(baselines.getByText('The network beats the majority baseline on the test rows (accuracy 90.0 % against 50.0 %).').count()).resolves.toBe(1);
    await page.close();
  });
});
