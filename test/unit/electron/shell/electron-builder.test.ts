import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';

// build/electron-builder.json against electron-builder's own JSON schema
// (app-builder-lib/scheme.json), plus what the schema cannot know: the
// targets, the fuses and the native module we rely on.

const ROOT = resolve(__dirname, '../../../..');
interface BuilderConfig {
  appId: string;
  productName: string;
  icon: string;
  asar: boolean | { smartUnpack?: boolean };
  asarUnpack: string[];
  files: string[];
  electronFuses: Record<string, boolean>;
  win: { target: string[]; icon?: string };
  mac: { target: string[]; icon?: string };
  linux: { target: string[]; icon?: string };
}

const config = JSON.parse(readFileSync(join(ROOT, 'build/electron-builder.json'), 'utf8')) as BuilderConfig;
const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as Record<string, unknown>;

function validator() {
  // The schema is draft-07 and uses a few non-standard keywords; strict mode would reject the schema itself.
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

describe('build/electron-builder.json', () => {
  it("validates against electron-builder's schema", () => {
    const validate = validator();
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check can fail: an unknown key or a wrong type is refused', () => {
    const validate = validator();
    expect(validate({ ...config, appIdd: 'x' })).toBe(false);
    expect(validate({ ...config, asar: 'yes' })).toBe(false);
    expect(validate({ ...config, asar: { smartUnpack: 'no' } })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'off' } })).toBe(false);
  });

  it('has an app id and a product name', () => {
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i);
    expect(config.productName).toBe('WeChat Pay Till');
  });

  it('builds nsis for Windows, dmg for macOS, AppImage and deb for Linux', () => {
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });

  it('ships inside an asar with better-sqlite3 unpacked (a native module cannot load from the archive)', () => {
    // An asar, unpacking only what asarUnpack names (not every package that holds a native file).
    expect(config.asar).toEqual({ smartUnpack: false });
    expect(config.asarUnpack).toEqual(expect.arrayContaining([expect.stringMatching(/^(\*\*\/)?node_modules\/better-sqlite3\//)]));
  });

  it('sets the fuses: no running as Node, app only from the asar, cookies encrypted', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true, enableCookieEncryption: true });
    expect(config.electronFuses.enableNodeOptionsEnvironmentVariable).toBe(false);
    expect(config.electronFuses.enableNodeCliInspectArguments).toBe(false);
  });

  it('ships the build output, not sources, maps or tests', () => {
    expect(config.files).toContain('out/**/*');
    expect(config.files).toEqual(expect.arrayContaining(['!**/*.map', '!**/*.ts']));
    expect(config.files.some((f) => f.startsWith('!') && f.includes('test'))).toBe(true);
    expect(config.files).not.toContain('electron/**/*');
    expect(config.files).not.toContain('**/*');
  });

  it('every icon it names exists', () => {
    const icons = [config.icon, config.win.icon, config.mac.icon, config.linux.icon].filter((icon): icon is string => !!icon);
    expect(icons.length).toBeGreaterThan(0);
    for (const icon of icons) expect(existsSync(join(ROOT, icon)), icon).toBe(true);
  });

  it('the icon is a PNG of at least 512×512 (what macOS and electron-builder need)', () => {
    const png = readFileSync(join(ROOT, config.icon));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });

  it("the app's entry point is what electron-vite builds", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/main.js');
  });
});
