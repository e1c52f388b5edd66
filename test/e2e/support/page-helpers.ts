import type { Locator, Page } from 'playwright-core';

// The functions given to evaluate() run in the page; these describe the browser globals they use
// (the tests are type-checked with Node's types, not the DOM's).
declare const DataTransfer: { new (): { items: { add(file: File): void } } };
declare const DragEvent: { new (type: string, init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean }): Event };
declare function requestAnimationFrame(callback: (now: number) => void): number;
interface CanvasLike { toDataURL(): string }

/** Drops a file on an element the way a person's drag from the desktop does: a real drop event with a DataTransfer. */
export async function dropFile(target: Locator, name: string, text: string): Promise<void> {
  await target.evaluate((element: unknown, file) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([file.text], file.name, { type: 'text/csv' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      (element as EventTarget).dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, { name, text });
}

/** The training status line in the status bar (other live regions, such as the diagram's reading, are statuses too). */
export function status(page: Page): Locator {
  return page.getByRole('status').and(page.locator('[data-state]'));
}

export async function statusText(page: Page): Promise<string> {
  return (await status(page).textContent()) ?? '';
}

/** The step count the status shows ("… · step 3,400 · …"). */
export function stepOf(text: string): number {
  const match = /step ([\d,]+)/.exec(text);
  if (!match) throw new Error(`The status shows no step: "${text}"`);
  return Number(match[1]!.replace(/,/g, ''));
}

export async function waitForStatus(page: Page, pattern: RegExp, timeout = 30_000): Promise<string> {
  await status(page).filter({ hasText: pattern }).waitFor({ timeout });
  return statusText(page);
}

/** A cheap fingerprint of a canvas's pixels, to see that a chart was redrawn with new data. */
export async function canvasFingerprint(canvas: Locator): Promise<string> {
  return canvas.evaluate((c) => {
    const url = (c as unknown as CanvasLike).toDataURL();
    let h = 0;
    for (let i = 0; i < url.length; i++) h = (Math.imul(h, 31) + url.charCodeAt(i)) | 0;
    return `${url.length}:${h}`;
  });
}

/** requestAnimationFrame deltas over `ms`, in milliseconds, sorted. */
export async function frameTimes(page: Page, ms: number): Promise<number[]> {
  const deltas = await page.evaluate((duration) => new Promise<number[]>((resolve) => {
    const out: number[] = [];
    let last = performance.now();
    const end = last + duration;
    const tick = (now: number) => {
      out.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else resolve(out);
    };
    requestAnimationFrame(tick);
  }), ms);
  return deltas.slice(1).sort((a, b) => a - b);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Two noisy rings, the class column first (so the default target, the last column, is not it). */
export function ringsCsv(rows: number): string {
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const lines = ['ring,x,y'];
  for (let i = 0; i < rows; i++) {
    const outer = i % 2;
    const angle = random() * 2 * Math.PI;
    const radius = (outer ? 2 : 1) + 0.9 * (random() - 0.5);
    lines.push(`${outer ? 'outer' : 'inner'},${(radius * Math.cos(angle)).toFixed(4)},${(radius * Math.sin(angle)).toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Opens one of the Data view's example datasets and waits until the Data view shows it. */
export async function openExample(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('group', { name: 'Example datasets' }).getByRole('button', { name, exact: true }).click();
  await page.getByRole('region', { name: 'Dataset' }).getByRole('heading', { name }).waitFor();
}
