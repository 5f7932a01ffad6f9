/**
 * Runs status-check evaluations: one per merge request, head SHA and check, shared by every
 * request that arrives while it runs; re-reads GitLab with backoff while the verdict is pending,
 * for a bounded time, and answers once it is settled. No I/O of its own: GitLab, the clock and
 * the sleep are passed in, and what happens is reported through `onEvent` (the service logs it).
 * State lives in memory only: any replica can answer any request, and a restart forgets waits.
 */
import { SourceError } from '../../errors.js';
import { decideStatusCheck } from './decide.js';
import type { Verdict } from './facts.js';
import { gatherFacts, type GatherSettings } from './gather-facts.js';
import type { AnswerOutcome, StatusCheckGitlab } from './gitlab-port.js';
import type { StatusCheckRequest } from './status-check-request.js';

export interface PollSettings {
  /** Wait before the first re-read of a pending evaluation. */
  readonly firstDelayMs: number;
  /** Waits double up to this. */
  readonly maxDelayMs: number;
  /** After this long, a still pending verdict fails (`timed-out`). */
  readonly deadlineMs: number;
}

export const DEFAULT_POLL_SETTINGS: PollSettings = { firstDelayMs: 10_000, maxDelayMs: 120_000, deadlineMs: 60 * 60_000 };

export type EvaluationEvent =
  | { readonly kind: 'answered'; readonly key: string; readonly verdict: Verdict; readonly outcome: AnswerOutcome }
  | { readonly kind: 'waiting'; readonly key: string; readonly verdict: Verdict; readonly nextReadMs: number }
  | { readonly kind: 'dropped'; readonly key: string; readonly why: 'merge-request-not-found' | 'head-moved' | 'stopped' }
  | { readonly kind: 'error'; readonly key: string; readonly error: unknown; readonly willRetry: boolean };

export interface EvaluatorOptions {
  readonly gitlab: StatusCheckGitlab;
  readonly settings: GatherSettings;
  readonly poll: PollSettings;
  /** Post `pending` while waiting (GitLab ≥ 16.5 accepts it; older versions answer 400, which is ignored). */
  readonly postPending: boolean;
  /** Evaluations running at once; more are refused (the service answers 503). */
  readonly maxEvaluations: number;
  readonly now: () => number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly onEvent: (event: EvaluationEvent) => void;
}

export type Submission = { readonly kind: 'started' | 'joined'; readonly key: string } | { readonly kind: 'busy' };

export interface StatusCheckEvaluator {
  submit(request: StatusCheckRequest): Submission;
  readonly running: number;
  /** Ends every wait (nothing more is posted) and resolves when all evaluations returned. */
  stop(): Promise<void>;
}

export function evaluationKey(request: StatusCheckRequest): string {
  return `${request.projectId}!${request.mergeRequestIid}@${request.headSha}#${request.externalStatusCheckId}`;
}

export function createStatusCheckEvaluator(options: EvaluatorOptions): StatusCheckEvaluator {
  const running = new Map<string, Promise<void>>();
  const stopping = new AbortController();

  async function evaluate(request: StatusCheckRequest, key: string): Promise<void> {
    const started = options.now();
    let delay = options.poll.firstDelayMs;
    let pendingPosted = false;
    for (;;) {
      const verdict = await decideOnce(request, key, options.now() - started >= options.poll.deadlineMs);
      if (verdict === 'done' || stopping.signal.aborted) return;
      if (verdict !== 'retry' && verdict.status !== 'pending') {
        await answer(request, key, verdict);
        return;
      }
      if (verdict !== 'retry' && options.postPending && !pendingPosted) {
        pendingPosted = true;
        if ((await answer(request, key, verdict)) === 'stale') return;
      }
      const wait = Math.min(delay, Math.max(0, started + options.poll.deadlineMs - options.now()));
      if (verdict !== 'retry') options.onEvent({ kind: 'waiting', key, verdict, nextReadMs: wait });
      await options.sleep(wait, stopping.signal);
      if (stopping.signal.aborted) {
        options.onEvent({ kind: 'dropped', key, why: 'stopped' });
        return;
      }
      delay = Math.min(delay * 2, options.poll.maxDelayMs);
    }
  }

  /** The verdict now; `retry` after a transient GitLab error; `done` when there is nothing to answer. */
  async function decideOnce(request: StatusCheckRequest, key: string, waitExpired: boolean): Promise<Verdict | 'retry' | 'done'> {
    try {
      const gathered = await gatherFacts(options.gitlab, request, options.settings);
      if (gathered.kind !== 'facts') {
        options.onEvent({ kind: 'dropped', key, why: gathered.kind });
        return 'done';
      }
      return decideStatusCheck(gathered.facts, { waitExpired });
    } catch (error) {
      const willRetry = !waitExpired && error instanceof SourceError && error.retryable;
      options.onEvent({ kind: 'error', key, error, willRetry });
      if (willRetry) return 'retry';
      // Fail closed: a check that cannot be evaluated does not pass.
      const detail = error instanceof Error ? error.message : String(error);
      return { status: 'failed', reason: 'evaluation-error', detail: `the status check could not be evaluated: ${detail}`, jobs: [] };
    }
  }

  async function answer(request: StatusCheckRequest, key: string, verdict: Verdict): Promise<AnswerOutcome | 'error'> {
    try {
      const outcome = await options.gitlab.answer(request.projectId, request.mergeRequestIid, {
        sha: request.headSha,
        externalStatusCheckId: request.externalStatusCheckId,
        status: verdict.status,
      });
      options.onEvent({ kind: 'answered', key, verdict, outcome });
      return outcome;
    } catch (error) {
      // The HttpClient already retried what was safe to retry; the next request for the MR answers again.
      options.onEvent({ kind: 'error', key, error, willRetry: false });
      return 'error';
    }
  }

  return {
    submit(request) {
      const key = evaluationKey(request);
      if (running.has(key)) return { kind: 'joined', key };
      if (stopping.signal.aborted || running.size >= options.maxEvaluations) return { kind: 'busy' };
      const evaluation = evaluate(request, key).finally(() => running.delete(key));
      running.set(key, evaluation);
      return { kind: 'started', key };
    },
    get running() {
      return running.size;
    },
    async stop() {
      stopping.abort();
      await Promise.allSettled([...running.values()]);
    },
  };
}
