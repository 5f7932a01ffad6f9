/**
 * What src/build/bundle-cli.ts wrote to dist/ (built by the vitest global setup from the current
 * sources), read from esbuild's metafile: the layout package-files.ts relies on, the packages
 * kept external, and a licence for every package the bundle carries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLE, EXTERNAL_PACKAGES } from '../../src/build/bundle-cli.js';
import { bundledPackageOf } from '../../src/build/third-party-licenses.js';
import { repoRoot } from '../helpers/built-cli.js';

const metafile = JSON.parse(readFileSync(join(repoRoot, BUNDLE.metafile), 'utf8')) as Metafile;
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** Packages whose files esbuild put into the bundle. */
const bundled = new Set(
  Object.keys(metafile.inputs).flatMap((input) => {
    const name = bundledPackageOf(input)?.name;
    return name === undefined ? [] : [name];
  }),
);

describe('the bundle in dist/', () => {
  it('has every JavaScript file two folders below the package root, where package-files.ts finds the root', () => {
    const scripts = Object.keys(metafile.outputs).filter((output) => output.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(10);
    expect(scripts.filter((output) => !/^dist\/[\w-]+\/[\w-]+\.js$/.test(output))).toEqual([]);
  });

  it('carries the npm dependencies it needs, except the external ones, which stay production dependencies', () => {
    for (const name of ['yaml', '@gitbeaker/rest', 'undici', 're2js']) expect(bundled).toContain(name);
    for (const name of EXTERNAL_PACKAGES) {
      expect(bundled).not.toContain(name);
      expect(Object.keys(packageJson.dependencies)).toContain(name);
    }
  });

  it('names no production dependency that it bundles (installing it would be dead weight)', () => {
    expect(Object.keys(packageJson.dependencies).filter((name) => bundled.has(name))).toEqual([]);
  });

  it('ships the licence text of every package it carries', () => {
    const licenses = readFileSync(join(repoRoot, BUNDLE.licenses), 'utf8');
    const named = new Set([...licenses.matchAll(/^== (\S+) /gm)].map((match) => match[1]));
    expect([...bundled].filter((name) => !named.has(name))).toEqual([]);
    expect(licenses).toMatch(/== yaml [\d.]+ \(ISC\) ==\n\nCopyright/);
  });
});

describe('bundledPackageOf', () => {
  it('names the innermost package of an input path, scoped or not, and none for our sources', () => {
    expect(bundledPackageOf('node_modules/yaml/dist/index.js')).toEqual({ name: 'yaml', dir: 'node_modules/yaml' });
    expect(bundledPackageOf('node_modules/a/node_modules/@s/b/lib/x.js')).toEqual({ name: '@s/b', dir: 'node_modules/a/node_modules/@s/b' });
    expect(bundledPackageOf('src/cli/main.ts')).toBeUndefined();
  });
});
