import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers';

// Both come with electron-builder (app-builder-lib validates its configuration with this ajv and schema).
const require = createRequire(import.meta.url);
const { load } = require('js-yaml') as { load(text: string): unknown };
const schemaPath = require.resolve('app-builder-lib/scheme.json');

const config = load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

function targets(platform: string): string[] {
  const target = (config[platform] as { target?: unknown } | undefined)?.target;
  const list = Array.isArray(target) ? target : [target];
  return list.map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder\'s own schema (app-builder-lib/scheme.json)', () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
    // The options app-builder-lib uses (util/config/schemaValidator.js), minus coercion: the file must be right as written.
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the check can fail (an unknown key or a wrong type is reported)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
    expect(validate({ ...config, notAnOption: true })).toBe(false);
    expect(validate({ ...config, linux: { target: 42 } })).toBe(false);
  });

  it('builds an AppImage and a deb for Linux, a dmg for macOS, an NSIS installer for Windows', () => {
    expect(targets('linux').sort()).toEqual(['AppImage', 'deb']);
    expect(targets('mac')).toEqual(['dmg']);
    expect(targets('win')).toEqual(['nsis']);
  });

  it('packs the build, the example datasets and package.json, and nothing from the sources', () => {
    expect(config['files']).toEqual(expect.arrayContaining(['out/**/*', 'package.json', 'datasets/**/*']));
    expect((config['files'] as string[]).some((f) => /^(main|renderer|engine|test)\b/.test(f))).toBe(false);
    expect(config['directories']).toMatchObject({ buildResources: 'build', output: 'dist' });
  });

  it('has build/icon.png, a 512×512 PNG', () => {
    const png = readFileSync(join(repoRoot, 'build', 'icon.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
  });
});
