// Takes the README's screenshots of each view: `npm run build && node scripts/screenshots.mjs [chromium]`.
// It serves the built renderer from a throwaway lab folder, drives it in Chromium as a person would,
// and writes docs/screenshots/<view>.png.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const root = new URL('../', import.meta.url).pathname;
const out = join(root, 'docs', 'screenshots');
const executablePath = process.argv[2] ?? process.env.NNLAB_CHROMIUM ?? '/usr/bin/chromium';

function serve(home) {
  const child = spawn(process.execPath, [join(root, 'bin', 'nnlab.js'), 'serve', '--port', '0', '--home', home], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ url: line.trim(), child }));
    child.once('exit', (code) => reject(new Error(`nnlab serve exited (${code}) before printing its address`)));
  });
}

async function shoot(page, name, locator = page) {
  await page.waitForTimeout(400);
  await locator.screenshot({ path: join(out, `${name}.png`), ...(locator === page ? { fullPage: true } : {}) });
  console.log(`docs/screenshots/${name}.png`);
}

async function waitForStatus(page, pattern) {
  await page.getByRole('status').and(page.locator('[data-state]')).filter({ hasText: pattern }).waitFor({ timeout: 60_000 });
}

async function openExample(page, name) {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('group', { name: 'Example datasets' }).getByRole('button', { name, exact: true }).click();
  await page.getByRole('region', { name: 'Dataset' }).getByRole('heading', { name }).waitFor();
}

const home = mkdtempSync(join(tmpdir(), 'nnlab-screenshots-'));
mkdirSync(out, { recursive: true });
const { url, child } = await serve(home);
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' })).newPage();
  await page.goto(url);
  const tab = (name) => page.getByRole('tab', { name }).click();

  const region = (name) => page.getByRole('region', { name, exact: true });
  const epochs = (n) => page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill(String(n));
  const start = () => page.getByRole('button', { name: 'Start', exact: true }).click();

  await openExample(page, 'Iris');
  await shoot(page, 'data');

  // A two-feature set: the diagram's units show their own outputs over the plane.
  await openExample(page, 'Spiral');
  await tab('Train');
  await epochs(40);
  await start();
  await waitForStatus(page, /^Finished · /);
  await shoot(page, 'train');
  await shoot(page, 'training-health', region('Training health'));
  await shoot(page, 'checkpoints', region('Checkpoints'));
  await page.getByRole('button', { name: 'Check gradients' }).click();
  await region('Gradient check').getByRole('heading', { name: /^Gradient check / }).waitFor();
  await shoot(page, 'gradient-check', region('Gradient check'));

  await tab('Model');
  await shoot(page, 'model');

  await tab('Train');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByRole('button', { name: 'Step in detail' }).click();
  await region('Backpropagation step').getByRole('heading', { name: 'Backpropagation step 1' }).waitFor();
  await shoot(page, 'step-in-detail', region('Backpropagation step'));
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await waitForStatus(page, /^Stopped · /);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();

  // Four features: the boundary is drawn over the principal plane.
  await openExample(page, 'Iris');
  await tab('Train');
  await epochs(30);
  await start();
  await waitForStatus(page, /^Finished · /);
  await shoot(page, 'boundary-pca', page.locator('section', { has: page.getByRole('heading', { name: 'Decision boundary' }) }));
  await page.getByRole('button', { name: 'Sweep seeds…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sweep seeds' });
  await dialog.getByRole('spinbutton', { name: 'Number of seeds' }).fill('4');
  await dialog.getByRole('button', { name: 'Start sweep' }).click();
  await page.getByRole('status', { name: 'Sweep progress' }).waitFor();
  await page.getByRole('status', { name: 'Sweep progress' }).waitFor({ state: 'detached', timeout: 120_000 });
  await shoot(page, 'seed-sweep', region('Seed sweep'));

  await tab('Runs');
  await shoot(page, 'runs');

  await tab('Predict');
  await shoot(page, 'predict');
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
}
