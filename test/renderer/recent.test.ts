import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { harnessPages } from './support';

/** `window.recent` of the harness page (test/renderer/harness/recent-host.ts), as these functions reach it. */
interface RecentProbe {
  opened: string[];
  picks: number;
  open(kind: 'desktop' | 'browser', name: string): Promise<void>;
  reopen(kind: 'desktop' | 'browser', index: number): Promise<void>;
  recent(kind: 'desktop' | 'browser'): unknown[];
}

const { open } = harnessPages();
const probe = <T>(page: Page, run: (recent: RecentProbe) => T | Promise<T>): Promise<T> =>
  page.evaluate(`(${run.toString()})(window.recent)`) as Promise<T>;

describe('recent files', () => {
  it('desktop: remembers the path of an opened file and reopens it from there, without a dialog', async () => {
    const page = await open('recent');
    await page.evaluate('localStorage.clear()');
    await probe(page, (r) => r.open('desktop', 'cars.csv'));
    expect(await probe(page, (r) => r.recent('desktop'))).toEqual([{ kind: 'path', path: '/data/cars.csv', name: 'cars.csv' }]);
    await page.reload();
    await page.waitForFunction(() => 'recent' in globalThis);
    await probe(page, (r) => r.reopen('desktop', 0));
    expect(await probe(page, (r) => [r.opened, r.picks])).toEqual([['/data/cars.csv'], 0]);
    await page.close();
  });

  it('browser: remembers the name of a handed-over file, and asks for it again through the file picker', async () => {
    const page = await open('recent');
    await page.evaluate('localStorage.clear()');
    await probe(page, (r) => r.open('browser', 'glass.csv'));
    expect(await probe(page, (r) => r.recent('browser'))).toEqual([{ kind: 'upload', name: 'glass.csv' }]);
    await probe(page, (r) => r.reopen('browser', 0));
    expect(await probe(page, (r) => [r.opened, r.picks])).toEqual([[], 1]);
    await page.close();
  });
});
