import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCliMarkdown, renderCommandHelp } from '../../src/cli/help.js';
import { COMMANDS, OPTIONS } from '../../src/cli/options.js';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import { UsageError } from '../../src/errors.js';

describe('parseCommandLine', () => {
  it('types options from the table, with defaults for lists and switches', () => {
    const parsed = parseCommandLine(['compose', '--workspace', 'ws', '--project', 'a/b', '--var', 'A=1', '--var', 'B=x=y']);
    expect(parsed).toMatchObject({
      kind: 'run',
      command: 'compose',
      options: { workspace: 'ws', project: 'a/b', var: ['A=1', 'B=x=y'], changed: [], summary: false, tag: undefined },
    });
  });

  it.each([
    [['compose', '--no-such-flag'], 'bad-arguments'],
    [['compose', 'stray'], 'bad-arguments'],
    [['compose', '--project'], 'bad-arguments'],
    [['frobnicate'], 'unknown-command'],
    [['compose', '--log-level', 'loud'], 'bad-arguments'],
    [['validate', '--project', 'x'], 'bad-arguments'],
  ])('%j is a usage error (%s)', (argv, code) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(expect.objectContaining({ code }));
  });

  it('accepts positionals only where the command takes them', () => {
    expect(parseCommandLine(['validate', 'a.yml', 'dir'])).toMatchObject({ positionals: ['a.yml', 'dir'] });
  });

  it('answers --help for the tool and for each command', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help', command: undefined });
    expect(parseCommandLine(['compose', '--help'])).toEqual({ kind: 'help', command: 'compose' });
    expect(parseCommandLine(['help', 'validate'])).toEqual({ kind: 'help', command: 'validate' });
  });
});

describe('help and docs come from the one table', () => {
  it('lists every option of a command in its help', () => {
    for (const command of Object.keys(COMMANDS) as (keyof typeof COMMANDS)[]) {
      const help = renderCommandHelp(command);
      for (const [name, definition] of Object.entries(OPTIONS)) {
        // A whole flag: `--policy` (coverage) is not `--policy-project`.
        expect(new RegExp(`--${name}(?![\\w-])`).test(help), `${command} --${name}`).toBe((definition.commands as readonly string[]).includes(command));
      }
    }
  });

  it('docs/cli.md is up to date (npm run docs:cli)', () => {
    const onDisk = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderCliMarkdown());
  });
});
