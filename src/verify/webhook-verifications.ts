/**
 * Runs the verifications webhooks ask for (issue 13, "How it is triggered"): one at a time per
 * project and commit, at most one more queued behind it (later events for the same commit join
 * it: it reads GitLab after they arrived). Each verifies the commit's newest pipeline from
 * GitLab, so duplicate, late and out-of-order events give the same verdict, which the ledger
 * publishes once. A running pipeline answers pending; GitLab's webhook when it ends verifies it
 * again. No I/O of its own: ports in, events out (the service logs them).
 */
import type { VerdictPublisher, VerdictRecorder } from './publish-port.js';
import type { Verdict } from './verdict.js';
import type { VerdictLedger } from './verdict-ledger.js';
import { publishVerdict, verifyCommit, type PublishOutcome, type VerificationPorts } from './verify-and-publish.js';
import type { WebhookEvent } from './webhook-events.js';

export type VerificationEvent =
  | { readonly kind: 'published'; readonly key: string; readonly verdict: Verdict; readonly outcome: PublishOutcome }
  | { readonly kind: 'skipped'; readonly key: string; readonly verdict: Verdict; readonly why: 'duplicate' | 'superseded' | 'no-pipeline-yet' }
  | { readonly kind: 'error'; readonly key: string; readonly error: unknown };

export interface WebhookVerifierOptions {
  readonly ports: VerificationPorts;
  readonly publisher: VerdictPublisher;
  readonly ledger: VerdictLedger;
  readonly recorder: VerdictRecorder | undefined;
  /** Commits verified or queued at once; more are refused (the service answers 503). */
  readonly maxCommits: number;
  readonly now: () => Date;
  readonly onEvent: (event: VerificationEvent) => void;
}

export type WebhookSubmission = { readonly kind: 'started' | 'queued' | 'joined'; readonly key: string } | { readonly kind: 'ignored'; readonly why: string } | { readonly kind: 'busy' };

export interface WebhookVerifier {
  submit(event: WebhookEvent): WebhookSubmission;
  /** Resolves when every verification started so far has ended (tests, shutdown). */
  idle(): Promise<void>;
}

interface Lane {
  running: Promise<void>;
  queued: boolean;
}

export function createWebhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
  const lanes = new Map<string, Lane>();

  async function verifyOnce(key: string, event: WebhookEvent): Promise<void> {
    try {
      const project = await options.ports.reader.project(event.projectId);
      if (project === undefined) throw new Error(`project ${event.projectId} is not readable with the verifier's token`);
      const sha = event.kind === 'pipeline' ? event.sha : event.headSha;
      const verification = await verifyCommit(options.ports, project, sha);
      const { verdict } = verification;
      // A status on a commit without a pipeline makes GitLab create an external pipeline for it,
      // which would stay pending beside the real one: wait for the pipeline's own webhook.
      if (verdict.pipeline === null && verdict.state === 'pending') {
        options.onEvent({ kind: 'skipped', key, verdict, why: 'no-pipeline-yet' });
        return;
      }
      const decision = options.ledger.decide(project.id, sha, verdict.pipeline, verdict.state);
      if (decision !== 'publish') {
        options.onEvent({ kind: 'skipped', key, verdict, why: decision });
        return;
      }
      const outcome = await publishVerdict(options.publisher, verification);
      await options.recorder?.record(verdict, options.now().toISOString());
      options.onEvent({ kind: 'published', key, verdict, outcome });
    } catch (error) {
      options.onEvent({ kind: 'error', key, error });
    }
  }

  return {
    submit(event) {
      if (event.kind === 'pipeline' && event.source === 'parent_pipeline') return { kind: 'ignored', why: 'a child pipeline: its parent pipeline is verified' };
      if (event.kind === 'merge-request' && event.state !== 'opened') return { kind: 'ignored', why: `merge request is ${event.state}` };
      const key = `${event.projectId}@${event.kind === 'pipeline' ? event.sha : event.headSha}`;
      const lane = lanes.get(key);
      if (lane !== undefined) {
        if (lane.queued) return { kind: 'joined', key };
        lane.queued = true;
        lane.running = lane.running.then(() => {
          lane.queued = false;
          return verifyOnce(key, event);
        });
        return { kind: 'queued', key };
      }
      if (lanes.size >= options.maxCommits) return { kind: 'busy' };
      const fresh: Lane = { running: Promise.resolve(), queued: false };
      lanes.set(key, fresh);
      fresh.running = verifyOnce(key, event);
      // The lane ends when nothing more is queued behind the last run.
      const release = (): void => {
        const current = fresh.running;
        void current.then(() => {
          if (fresh.running === current) lanes.delete(key);
          else release();
        });
      };
      release();
      return { kind: 'started', key };
    },
    async idle() {
      while (lanes.size > 0) await Promise.all([...lanes.values()].map((lane) => lane.running));
    },
  };
}
