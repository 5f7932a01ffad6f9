/**
 * PGlite takes seconds to load and start, so only commands that use the store may load it:
 * `compose` without a store must not even import PGlite or pg. Checked on the real CLI process
 * with a module resolve hook that writes down every module the process resolves.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function resolvedModules(args: readonly string[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'imports-'));
  const log = join(dir, 'resolved.txt');
  await writeFile(log, '');
  const hooks = join(dir, 'hooks.mjs');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}`,
  );
  const register = join(dir, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  // A failing command (exit code) still leaves its log; only the modules matter here.
  await run(process.execPath, ['--import', register, '--import', import.meta.resolve('tsx'), join(repoRoot, 'src/cli/main.ts'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir() },
  }).catch(() => undefined);
  return (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
}

const isStoreDriver = (url: string): boolean => /node_modules\/(@electric-sql\/pglite|pg|pg-pool)\//.test(url) || /\/src\/store\/open-store\.ts$/.test(url);

describe('only commands that use the store load it', () => {
  it('compose without --store or --database-url imports neither PGlite nor pg nor the store', async () => {
    const modules = await resolvedModules(['compose', '--workspace', 'examples/workspace', '--project', 'acme/web', '--policy-project', 'security/policies']);
    // The check can fail: the compose modules themselves were resolved through the hook.
    expect(modules.some((url) => url.endsWith('/src/cli/commands/compose.ts'))).toBe(true);
    expect(modules.filter(isStoreDriver)).toEqual([]);
  }, 60_000);

  it('policies list loads the store driver (the hook sees it)', async () => {
    // Port 1: nothing listens, so the command fails fast, after loading pg.
    const modules = await resolvedModules(['policies', 'list', '--database-url', 'postgres://nobody@127.0.0.1:1/none']);
    expect(modules.some((url) => /node_modules\/pg\//.test(url))).toBe(true);
  }, 60_000);
});
