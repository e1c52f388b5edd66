import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../fixtures/csv/generate.mjs';
import { FIXTURE_DIR } from './import-helpers';

// The import tests are about exact bytes; a checkout or an editor that rewrote line endings or dropped a
// byte-order mark would make them test something else without failing.
describe('the CSV fixture corpus', () => {
  it('holds exactly the bytes its generator defines', () => {
    for (const [name, bytes] of Object.entries(FIXTURES)) {
      expect(readFileSync(FIXTURE_DIR + name).equals(bytes), `${name} differs: run node test/fixtures/csv/generate.mjs`).toBe(true);
    }
  });

  it('holds no file the generator does not define', () => {
    const files = readdirSync(FIXTURE_DIR).filter((n) => !['generate.mjs', 'generate.d.mts', '.gitattributes'].includes(n));
    expect(files.sort()).toEqual(Object.keys(FIXTURES).sort());
  });
});
