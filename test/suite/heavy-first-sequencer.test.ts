/** The order test files start in (test/helpers/heavy-first-sequencer.ts). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAVY_FILES, orderHeavyFirst } from '../helpers/heavy-first-sequencer.js';

const root = join(import.meta.dirname, '../..');
const spec = (path: string, project = 'io') => ({ moduleId: join(root, path), project: { name: project } });

describe('heavy files first', () => {
  it('lists only test files that exist, each once', () => {
    for (const file of HEAVY_FILES) expect(existsSync(join(root, file)), file).toBe(true);
    expect(new Set(HEAVY_FILES).size).toBe(HEAVY_FILES.length);
  });

  it('starts the listed files first, in list order, and keeps the given order for the rest and for projects', () => {
    const [first = '', second = ''] = HEAVY_FILES;
    const given = [spec('test/ci/parse.test.ts', 'core'), spec('test/cli/a.test.ts'), spec(second), spec('test/cli/b.test.ts'), spec(first)];
    expect(orderHeavyFirst(given).map((file) => `${file.project.name} ${file.moduleId.slice(root.length + 1)}`)).toEqual([
      'core test/ci/parse.test.ts',
      `io ${first}`,
      `io ${second}`,
      'io test/cli/a.test.ts',
      'io test/cli/b.test.ts',
    ]);
  });
});
