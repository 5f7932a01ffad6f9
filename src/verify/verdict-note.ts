/**
 * The one merge request note for a failed verification, edited in place: a hidden marker finds
 * it again, the body lists every failed check. When a later pipeline is verified, the same note
 * says so (it is not deleted: reviewers keep the history).
 */
import type { Verdict } from './verdict.js';

export const VERDICT_NOTE_MARKER = '<!-- policy-sidecar:verify -->';

export function verdictNote(verdict: Verdict): string {
  const what = verdict.pipeline === null ? `commit ${verdict.sha.slice(0, 8)}` : `pipeline #${verdict.pipeline} (commit ${verdict.sha.slice(0, 8)})`;
  if (verdict.verified) return `${VERDICT_NOTE_MARKER}\n**policy-sidecar: ${what} is verified.** Every security policy ran as required.\n`;
  const failed = verdict.checks.filter((item) => !item.ok).map((item) => `- **${item.name}**: ${item.reason}`);
  return `${VERDICT_NOTE_MARKER}\n**policy-sidecar: ${what} is not verified.** The merge is blocked until a pipeline of the head commit is.\n\n${failed.join('\n')}\n`;
}
