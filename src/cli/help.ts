/** `--help` texts and docs/cli.md, both generated from the option table. */
import { COMMANDS, OPTIONS, optionsFor, type CommandName } from './options.js';

export function renderOverview(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = [
    `policy-sidecar ${version}: security-policy enforcement for any GitLab CI pipeline`,
    '',
    'Usage: policy-sidecar <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    'Run policy-sidecar <command> --help for the options of a command.',
  ];
  return lines.join('\n') + '\n';
}

export function renderCommandHelp(command: CommandName): string {
  const rows = optionsFor(command).map(([name, definition]) => {
    const flag = `--${name}${'value' in definition ? ` ${definition.value}` : ''}`;
    return [flag, definition.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    COMMANDS[command].summary,
    '',
    `Usage: ${COMMANDS[command].usage}`,
    '',
    'Options:',
    ...rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
    '',
  ].join('\n');
}

export function renderCliMarkdown(): string {
  const sections = (Object.keys(COMMANDS) as CommandName[]).map((command) => {
    const rows = optionsFor(command).map(([name, definition]) => {
      const flag = `\`--${name}${'value' in definition ? ` ${definition.value}` : ''}\``;
      return `| ${flag} | ${definition.description.replaceAll('|', '\\|')} |`;
    });
    return [`## ${command}`, '', COMMANDS[command].summary, '', '```', COMMANDS[command].usage, '```', '', '| option | meaning |', '| --- | --- |', ...rows].join('\n');
  });
  return [
    '# Command-line reference',
    '',
    '<!-- Generated from src/cli/options.ts by `npm run docs:cli`; a test fails when it is stale. -->',
    '',
    `Options known in all: ${Object.keys(OPTIONS).length}. Exit codes are in [errors.md](errors.md).`,
    '',
    sections.join('\n\n'),
    '',
  ].join('\n');
}
