/** Writes docs/cli.md from the option table (npm run docs:cli). */
import { writeFileSync } from 'node:fs';
import { renderCliMarkdown } from '../src/cli/help.js';

writeFileSync(new URL('../docs/cli.md', import.meta.url), renderCliMarkdown());
