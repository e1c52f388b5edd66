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
  await page.getByRole('status').filter({ hasText: pattern }).waitFor({ timeout: 60_000 });
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

  await openExample(page, 'Spiral');
  await shoot(page, 'data');

  await tab('Model');
  await shoot(page, 'model');

  await tab('Train');
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('40');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForStatus(page, /^Finished · /);
  await shoot(page, 'train');

  await tab('Runs');
  await shoot(page, 'runs');

  await tab('Predict');
  await shoot(page, 'predict');
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
}
