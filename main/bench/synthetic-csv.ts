import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Random } from '../../engine/random';

/**
 * Writes a CSV like the ones people bring: 17 numeric columns with four decimals, two text categories
 * and a yes/no label. 1,000,000 rows make about 150 MB.
 */
export async function writeSyntheticCsv(path: string, rows: number, seed = 1): Promise<void> {
  const rng = new Random(seed);
  const out = createWriteStream(path);
  const categories = ['alpha', 'beta', 'gamma', 'delta'];
  out.write(`${[...Array.from({ length: 17 }, (_, i) => `f${i}`), 'site', 'kind', 'label'].join(',')}\n`);
  let buffer = '';
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let i = 0; i < 17; i++) line += `${(rng.uniform() * 200 - 100).toFixed(4)},`;
    line += `${categories[rng.below(4)]},${categories[rng.below(4)]},${rng.uniform() > 0.5 ? 'yes' : 'no'}\n`;
    buffer += line;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
