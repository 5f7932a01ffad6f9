/**
 * Default-branch findings in the store (docs/store.md "finding"): what a pipeline's findings do to
 * the recorded states, which report types may resolve findings, and a person's decisions with
 * their reason. On PGlite and a PostgreSQL server.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, backend, backendSkip } from './store-backends.js';

const at = (minute: number) => () => new Date(Date.UTC(2026, 11, 1, 10, minute));
const leak = { identity: 'secret:aws-key:config.py', reportType: 'secret_detection', severity: 'critical', name: 'AWS key' };
const sqli = { identity: 'sast:sqli:app.py:12', reportType: 'sast', severity: 'high', name: 'SQL injection' };
const xss = { identity: 'sast:xss:view.py:3', reportType: 'sast', severity: 'medium', name: 'XSS' };

for (const name of BACKENDS) {
  const skip = backendSkip(name);
  describe.skipIf(skip !== undefined)(`default-branch findings on ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
    const stores = backend(name);

    it('counts what a pipeline changed: added, reopened, resolved', async () => {
      const store = await stores.open({ now: at(1) });
      expect(await store.recordDefaultBranchFindings('acme/web', [leak, sqli, sqli])).toEqual({ reported: 2, added: 2, reopened: 0, resolved: 0 });
      expect(await store.recordDefaultBranchFindings('acme/web', [sqli])).toEqual({ reported: 1, added: 0, reopened: 0, resolved: 1 });
      expect(await store.recordDefaultBranchFindings('acme/web', [leak, sqli, xss])).toEqual({ reported: 3, added: 1, reopened: 1, resolved: 0 });
    });

    it('resolves only findings of report types the pipeline reported completely', async () => {
      const store = await stores.open({ now: at(2) });
      await store.recordDefaultBranchFindings('acme/web', [leak, sqli]);
      // Secret detection did not run (or its report was refused): its finding is not resolved.
      const outcome = await store.recordDefaultBranchFindings('acme/web', [], { completeReportTypes: ['sast'] });
      expect(outcome).toMatchObject({ resolved: 1 });
      expect((await store.findingsOf('acme/web')).map((finding) => [finding.identity, finding.state])).toEqual([
        [sqli.identity, 'resolved'],
        [leak.identity, 'detected'],
      ]);
    });

    it('a dismissed finding no longer reported stays dismissed; a confirmed one is resolved', async () => {
      const store = await stores.open({ now: at(3) });
      await store.recordDefaultBranchFindings('acme/web', [leak, sqli]);
      expect(await store.setFindingState('acme/web', leak.identity, 'dismissed', 'used in tests')).toBe(true);
      expect(await store.setFindingState('acme/web', sqli.identity, 'confirmed')).toBe(true);
      await store.recordDefaultBranchFindings('acme/web', []);
      expect((await store.findingsOf('acme/web')).map((finding) => [finding.identity, finding.state])).toEqual([
        [sqli.identity, 'resolved'],
        [leak.identity, 'dismissed'],
      ]);
      // Seen again, the dismissal still holds.
      await store.recordDefaultBranchFindings('acme/web', [leak]);
      expect((await store.findingsOf('acme/web', 'dismissed')).map((finding) => finding.identity)).toEqual([leak.identity]);
    });

    it('a decision keeps its reason and time; an unknown identity changes nothing', async () => {
      const store = await stores.open({ now: at(4) });
      await store.recordDefaultBranchFindings('acme/web', [leak]);
      await store.setFindingState('acme/web', leak.identity, 'dismissed', 'test fixture key');
      expect(await store.setFindingState('acme/web', 'no-such-finding', 'dismissed')).toBe(false);
      expect(await store.setFindingState('acme/api', leak.identity, 'dismissed')).toBe(false);
      const [record] = await store.findingsOf('acme/web');
      expect(record).toEqual({
        ...leak,
        state: 'dismissed',
        firstSeen: '2026-12-01T10:04:00.000Z',
        lastSeen: '2026-12-01T10:04:00.000Z',
        stateReason: 'test fixture key',
        stateChangedAt: '2026-12-01T10:04:00.000Z',
      });
      expect(await store.findingsOf('acme/web', 'detected')).toEqual([]);
    });
  });
}
