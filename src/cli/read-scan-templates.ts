/**
 * The scan templates of scan execution policies, read at the edge: policy-sidecar's own
 * (templates/scans/ of the package), each replaced by the file of the same name in `--templates
 * DIR` when there is one. A file in DIR that is no template name is refused, so a misspelt
 * replacement is never silently ignored.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanTemplateNames, type ScanTemplates, type ScanTemplateText } from '../compose/sep/index.js';
import { UsageError } from '../errors.js';

const BUILT_IN = fileURLToPath(new URL('../../templates/scans/', import.meta.url));

export async function readScanTemplates(dir: string | undefined, cwd: string): Promise<ScanTemplates> {
  const names = scanTemplateNames();
  const templates = new Map<string, ScanTemplateText>();
  for (const name of names) {
    templates.set(name, { name, file: `templates/scans/${name}`, text: await readFile(join(BUILT_IN, name), 'utf8') });
  }
  if (dir === undefined) return templates;
  const entries = await readdir(resolve(cwd, dir)).catch((error: unknown) => {
    throw new UsageError('bad-arguments', `--templates ${dir}: cannot read the folder`, { cause: error, hint: 'Give a folder holding <scan>.yml files.' });
  });
  for (const entry of entries.filter((file) => file.endsWith('.yml') || file.endsWith('.yaml')).sort()) {
    if (!names.includes(entry)) {
      throw new UsageError('bad-arguments', `--templates ${dir}: ${entry} is not a scan template name`, {
        hint: `Scan templates are named ${names.join(', ')}.`,
      });
    }
    templates.set(entry, { name: entry, file: join(dir, entry), text: await readFile(resolve(cwd, dir, entry), 'utf8') });
  }
  return templates;
}
