/** `policies diff ID V1 V2`: the policy's YAML and every file it includes, as unified diffs. */
import type { PolicyVersionRecord } from '../store/policy-reads.js';

export async function emitPolicyDiff(from: PolicyVersionRecord, to: PolicyVersionRecord): Promise<string> {
  // Loaded only for this command, like compose --dry-run's diff.
  const { createTwoFilesPatch } = await import('diff');
  const name = (file: { project: string; path: string; ref: string | null }): string => `${file.project}:${file.path}${file.ref === null ? '' : `@${file.ref}`}`;
  const parts: string[] = [];
  if (from.yaml !== to.yaml) parts.push(createTwoFilesPatch(`policy v${from.number}`, `policy v${to.number}`, from.yaml, to.yaml, '', '', { context: 3 }));
  const names = [...new Set([...from.files.map(name), ...to.files.map(name)])].sort();
  for (const file of names) {
    const before = from.files.find((candidate) => name(candidate) === file)?.text ?? '';
    const after = to.files.find((candidate) => name(candidate) === file)?.text ?? '';
    if (before !== after) parts.push(createTwoFilesPatch(`${file} (v${from.number})`, `${file} (v${to.number})`, before, after, '', '', { context: 3 }));
  }
  return parts.length === 0 ? `# v${from.number} and v${to.number} have the same content.\n` : parts.join('');
}
