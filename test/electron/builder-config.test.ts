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

/** The fuses the packaged binary must have, as electron-builder.yml's electronFuses spells them. */
const FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
  loadBrowserProcessSpecificV8Snapshot: false,
} as const;

/** The same fuses by @electron/fuses's names (FuseV1Options), as flipped in the binary. */
const WIRES: Record<keyof typeof FUSES, string> = {
  runAsNode: 'RunAsNode',
  enableCookieEncryption: 'EnableCookieEncryption',
  enableNodeOptionsEnvironmentVariable: 'EnableNodeOptionsEnvironmentVariable',
  enableNodeCliInspectArguments: 'EnableNodeCliInspectArguments',
  enableEmbeddedAsarIntegrityValidation: 'EnableEmbeddedAsarIntegrityValidation',
  onlyLoadAppFromAsar: 'OnlyLoadAppFromAsar',
  grantFileProtocolExtraPrivileges: 'GrantFileProtocolExtraPrivileges',
  loadBrowserProcessSpecificV8Snapshot: 'LoadBrowserProcessSpecificV8Snapshot',
};

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

  it.each(Object.entries(FUSES))('sets the %s fuse to %s', (fuse, value) => {
    const fuses = config['electronFuses'] as Record<string, unknown> | undefined;
    expect(fuses?.[fuse]).toBe(value);
  });

  it('sets no fuse beyond those, and packs the app into an asar (onlyLoadAppFromAsar loads nothing else)', () => {
    expect(config['electronFuses']).toEqual(FUSES);
    expect(config['asar']).toBe(true);
    // A platform's own asar setting would override the top-level one.
    for (const platform of ['linux', 'mac', 'win']) expect((config[platform] as Record<string, unknown>)['asar']).toBeUndefined();
  });

  it('hands every fuse to @electron/fuses as set, none dropped (electron-builder\'s own translation)', async () => {
    const { FuseV1Options, FuseVersion } = require('@electron/fuses') as { FuseV1Options: Record<string, number>; FuseVersion: { V1: string } };
    const { PlatformPackager } = require('app-builder-lib') as { PlatformPackager: { prototype: object } };
    // Private in the typings; it is the step between electronFuses and flipFuses (platformPackager.js).
    const generate = (PlatformPackager.prototype as { generateFuseConfig(fuses: unknown): Promise<Record<string, unknown>> }).generateFuseConfig;
    const wire = await generate.call({}, config['electronFuses']);
    expect(wire['version']).toBe(FuseVersion.V1);
    for (const [fuse, name] of Object.entries(WIRES)) {
      expect(FuseV1Options[name], name).toBeTypeOf('number');
      expect(wire[String(FuseV1Options[name])], fuse).toBe(FUSES[fuse as keyof typeof FUSES]);
    }
    // Every fuse @electron/fuses knows is set on purpose, none left to Electron's default.
    const known = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
    expect(known.map(String).sort()).toEqual(Object.keys(wire).filter((k) => /^\d+$/.test(k)).sort());
  });

  it('has build/icon.png, a 512×512 PNG', () => {
    const png = readFileSync(join(repoRoot, 'build', 'icon.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
  });
});
