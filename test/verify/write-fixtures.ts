/**
 * Writes test/fixtures/verify/<case>/ (recorded GitLab answers, the workspace form of verify)
 * from recorded-pipelines.ts, with the compose report of the example workspace's acme/web push
 * pipeline on main. Run after changing the cases or the example policies:
 *
 *   npx tsx test/verify/write-fixtures.ts
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeGoodReport } from './compose-good-report.js';
import { verifyCases } from './recorded-pipelines.js';

const root = fileURLToPath(new URL('../fixtures/verify/', import.meta.url));
const report = await composeGoodReport();
await rm(root, { recursive: true, force: true });
for (const verifyCase of verifyCases(report)) {
  for (const [path, value] of Object.entries(verifyCase.answers)) {
    const file = join(root, verifyCase.name, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(value, null, 2) + '\n');
  }
  await writeFile(join(root, verifyCase.name, 'expected.json'), JSON.stringify({ exitCode: verifyCase.exitCode, failed: verifyCase.failed }, null, 2) + '\n');
}
