import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_DEFAULTS } from '../../common/settings';
import { openLabPage, type OpenedLab } from './support/browser';
import { dropFile, openExample, stepOf, waitForStatus } from './support/page-helpers';

/**
 * The bench shows what is true: the run on the bench with its own dataset and settings after a reload, in a second
 * window and after Resume; new data with the defaults; an invalid field holding Start back with its reason; the
 * diagram of the design being edited; a divergence's status and message counting alike; a regression's chart.
 */
const SHOTS = '/tmp/nnlab-bench-truth';

const field = (page: Page, name: string) => page.getByRole('spinbutton', { name, exact: true });
const tab = (page: Page, name: 'Data' | 'Model' | 'Train' | 'Runs') => page.getByRole('tab', { name }).click();
const start = (page: Page) => page.getByRole('button', { name: 'Start', exact: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}-${name}.png`, fullPage: true });

/** The form's learning rate, optimiser and epochs, and the dataset the Data view shows. */
async function bench(page: Page): Promise<{ learningRate: string; optimizer: string; epochs: string; dataset: string }> {
  await tab(page, 'Train');
  const learningRate = await field(page, 'Learning rate').inputValue();
  const optimizer = await page.getByRole('combobox', { name: 'Optimiser' }).inputValue();
  const epochs = await field(page, 'Epochs').inputValue();
  await tab(page, 'Data');
  const dataset = (await page.getByRole('region', { name: 'Dataset' }).getByRole('heading').first().textContent()) ?? '';
  return { learningRate, optimizer, epochs, dataset };
}

/** Reset: the run on the bench leaves it (kept in Runs). */
async function clearBench(page: Page): Promise<void> {
  const reset = page.getByRole('button', { name: 'Reset', exact: true });
  if (await reset.isEnabled()) await reset.click();
  await page.getByRole('status').filter({ hasText: /^(Ready to train|No dataset open)$/ }).waitFor();
}

/** y = 2·a − b + noise: a number to predict. */
function regressionCsv(rows: number): string {
  const lines = ['a,b,y'];
  for (let i = 0; i < rows; i++) {
    const a = (i % 17) / 17;
    const b = (i % 5) / 5;
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${(2 * a - b + ((i * 7919) % 13) / 130).toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe.sequential('the bench shows what is true', () => {
  let opened: OpenedLab;
  let page: Page;
  const odd = { learningRate: '1', optimizer: 'sgd', epochs: '2000000', dataset: 'Iris' };

  beforeAll(async () => {
    opened = await openLabPage();
    ({ page } = opened);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('after a reload mid-run, and in a second window, shows the run training with its dataset and settings', async () => {
    await openExample(page, 'Iris');
    await tab(page, 'Train');
    await field(page, 'Learning rate').fill('1');
    await page.getByRole('combobox', { name: 'Optimiser' }).selectOption('sgd');
    await field(page, 'Epochs').fill('2000000');
    await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
    await start(page).click();
    await waitForStatus(page, /^Training · epoch [\d,]+ · step [1-9]/);

    await page.reload();
    await waitForStatus(page, /^Training · /);
    expect(await bench(page)).toEqual(odd);
    await page.getByText(/dataset: Iris$/).waitFor();
    await shot(page, 'reloaded');

    const second = await opened.context.newPage();
    await second.goto(opened.lab.url);
    await waitForStatus(second, /^Training · /);
    expect(await bench(second)).toEqual(odd);
    await tab(second, 'Train');
    await shot(second, 'second-window');
    await second.close();

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForStatus(page, /^Stopped · /);
  });

  it('proposes the defaults for a newly opened dataset, unless the previous settings are kept', async () => {
    await openExample(page, 'XOR');
    expect(await bench(page)).toEqual({
      learningRate: String(TRAINING_DEFAULTS.learningRate), optimizer: TRAINING_DEFAULTS.optimizer, epochs: String(TRAINING_DEFAULTS.epochs), dataset: 'XOR',
    });
    await tab(page, 'Train');
    await field(page, 'Learning rate').fill('0.3');
    await tab(page, 'Data');
    await page.getByRole('checkbox', { name: 'Keep previous settings' }).check();
    await shot(page, 'keep-settings');
    await openExample(page, 'Seed XOR table');
    expect((await bench(page)).learningRate).toBe('0.3');
    await page.getByRole('checkbox', { name: 'Keep previous settings' }).uncheck();
  });

  it('restores the default settings and architecture with one button', async () => {
    await tab(page, 'Model');
    await field(page, 'Neurons in layer 1').fill('5');
    await page.getByRole('button', { name: 'Add layer' }).click();
    await page.getByRole('button', { name: 'Restore defaults' }).click();
    expect(await field(page, 'Neurons in layer 1').inputValue()).toBe(String(TRAINING_DEFAULTS.layers[0]!.units));
    expect(await field(page, `Neurons in layer ${TRAINING_DEFAULTS.layers.length + 1}`).count()).toBe(0);
    expect((await bench(page)).learningRate).toBe(String(TRAINING_DEFAULTS.learningRate));
    await tab(page, 'Train');
    await field(page, 'Epochs').fill('77');
    await page.getByRole('button', { name: 'Restore defaults' }).click();
    expect(await field(page, 'Epochs').inputValue()).toBe(String(TRAINING_DEFAULTS.epochs));
  });

  it('holds Start back while a field is invalid, saying which and what it allows', async () => {
    await clearBench(page);
    await tab(page, 'Model');
    expect(await start(page).isEnabled()).toBe(true);
    await field(page, 'Neurons in layer 1').fill('0');
    const reason = page.getByRole('alert', { name: 'Why Start is off' });
    await reason.waitFor();
    expect(await reason.textContent()).toBe('Start is off until this is fixed: Neurons in layer 1 must be a whole number from 1 to 100,000.');
    expect(await start(page).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Step', exact: true }).isDisabled()).toBe(true);
    await shot(page, 'invalid-neurons');
    // Another view and back: the entry and its reason are still there.
    await tab(page, 'Train');
    expect(await start(page).isDisabled()).toBe(true);
    await tab(page, 'Model');
    expect(await field(page, 'Neurons in layer 1').inputValue()).toBe('0');
    await field(page, 'Neurons in layer 1').fill('6');
    expect(await reason.count()).toBe(0);
    expect(await start(page).isEnabled()).toBe(true);
    // A training field likewise.
    await tab(page, 'Train');
    await field(page, 'Epochs').fill('0');
    expect(await page.getByRole('alert', { name: 'Why Start is off' }).textContent()).toBe('Start is off until this is fixed: Epochs must be at least 1.');
    expect(await start(page).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Restore defaults' }).click();
    expect(await start(page).isEnabled()).toBe(true);
  });

  it('draws the design being edited, not the network of an ended run of other data, and says which is drawn', async () => {
    // Runs → Resume of the Iris run: the bench shows its dataset and settings, not the open one's.
    await tab(page, 'Runs');
    await page.getByRole('button', { name: /^Details of / }).first().click();
    await page.getByRole('region', { name: /^Run / }).getByRole('button', { name: 'Resume', exact: true }).click();
    await waitForStatus(page, /^Training · /);
    expect(await bench(page)).toEqual(odd);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForStatus(page, /^Stopped · /);

    await tab(page, 'Model');
    const diagram = page.getByRole('figure', { name: /^Network diagram/ });
    await expect.poll(() => diagram.getAttribute('data-live')).toBe('weights');
    expect(await diagram.getAttribute('aria-label')).toMatch(/^Network diagram: 4 → 64 → 32 → 3 neurons, links/);

    await openExample(page, 'XOR');
    await tab(page, 'Model');
    await field(page, 'Neurons in layer 1').fill('5000');
    await expect.poll(() => diagram.getAttribute('aria-label')).toMatch(/^Network diagram: 2 → 5,000 → 32 → 1 neurons\.$/);
    expect(await diagram.getAttribute('data-live')).toBe('shape');
    const note = page.getByRole('note', { name: 'What the diagram shows' });
    expect(await note.textContent()).toMatch(/^Drawn: the design being edited \(2-5000-32-1\), for the next run; .+ on the bench is 4-64-32-3\.$/);
    await shot(page, 'design-drawn');
  });

  it('says the same epoch and step in the status and the message of a run that diverges in its first epoch', async () => {
    await clearBench(page);
    await openExample(page, 'Iris');
    await tab(page, 'Train');
    await field(page, 'Learning rate').fill('1000000');
    await page.getByRole('combobox', { name: 'Optimiser' }).selectOption('sgd');
    await start(page).click();
    const status = await waitForStatus(page, /^Diverged · /);
    expect(status).toMatch(/^Diverged · epoch 1 · step \d+/);
    const message = (await page.getByText(/the learning rate is probably too high/).textContent()) ?? '';
    const steps = stepOf(status);
    expect(message).toContain(steps === 0 ? 'in epoch 1, at the first step' : `in epoch 1, after step ${steps}`);
    expect(message).toContain('Kept the initial weights');
    await shot(page, 'diverged');
  });

  it('titles a regression run’s second chart for what it plots', async () => {
    await clearBench(page);
    await tab(page, 'Data');
    // The window takes a dropped file whichever view is shown.
    await dropFile(page.locator('main'), 'lines.csv', regressionCsv(200));
    await page.getByRole('region', { name: 'Dataset' }).getByRole('heading', { name: 'lines.csv' }).waitFor();
    // A reload keeps the dataset the lab has open for this tab, and the view.
    await page.getByRole('combobox', { name: 'Role of b' }).selectOption('ignored');
    await expect.poll(() => page.getByRole('combobox', { name: 'Role of b' }).inputValue()).toBe('ignored');
    await tab(page, 'Train');
    await page.reload();
    await page.getByRole('tab', { name: 'Train', selected: true }).waitFor();
    await waitForStatus(page, /^Ready to train$/);
    expect(await page.getByRole('heading', { name: 'RMSE and R²' }).count()).toBe(1);
    await field(page, 'Epochs').fill('5');
    await start(page).click();
    await waitForStatus(page, /^Finished · epoch 5 · step 20 · /);
    expect(await page.getByRole('heading', { name: 'RMSE and R²' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Accuracy' }).count()).toBe(0);
    await shot(page, 'regression');
    // And the run that ended, with its own dataset, roles and settings.
    await page.reload();
    await waitForStatus(page, /^Finished · epoch 5 · step 20/);
    expect(await field(page, 'Epochs').inputValue()).toBe('5');
    await tab(page, 'Data');
    expect(await page.getByRole('combobox', { name: 'Role of b' }).inputValue()).toBe('ignored');
    await page.getByRole('region', { name: 'Dataset' }).getByRole('heading', { name: 'lines.csv' }).waitFor();
    expect(opened.pageErrors).toEqual([]);
  });

  it('brings back the form being edited and its dataset, with no run on the bench, after a reload and in a new window', async () => {
    await tab(page, 'Train');
    await clearBench(page);
    await openExample(page, 'Iris');
    await tab(page, 'Train');
    await field(page, 'Learning rate').fill('0.3');
    await field(page, 'Learning rate').press('Tab');
    await field(page, 'Epochs').fill('77');
    await field(page, 'Epochs').press('Tab');
    const edited = { learningRate: '0.3', optimizer: TRAINING_DEFAULTS.optimizer, epochs: '77', dataset: 'Iris' };
    expect(await bench(page)).toEqual(edited);
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Ready to train' }).waitFor();
    expect(await bench(page)).toEqual(edited);
    // A new window has no tab of its own to come back to: it starts from the last bench any window had.
    const second = await opened.context.newPage();
    await second.goto(opened.lab.url);
    await second.getByRole('status').filter({ hasText: 'Ready to train' }).waitFor();
    expect(await bench(second)).toEqual(edited);
    await shot(second, 'new-window-no-run');
    await second.close();
  });
});
