/** The 5-field cron matcher and its runs in time zones (src/schedule/cron.ts, cron-runs.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesCron, parseCron, type Cron } from '../../src/schedule/cron.js';
import { nextRun, previousRun, wallClockReader } from '../../src/schedule/cron-runs.js';

function cron(text: string): Cron {
  const parsed = parseCron(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cron;
}

const utc = wallClockReader('UTC');
if (utc === undefined) throw new Error('no UTC');
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const at = (text: string) => new Date(text).getTime();

describe('parseCron', () => {
  it.each([
    ['@daily', '0 0 * * *'],
    ['@weekly', '0 0 * * 0'],
    ['@Hourly', '0 * * * *'],
    ['  30   2 * *   1-5 ', '30 2 * * 1-5'],
  ])('macros and spacing: %s → %s', (text, expression) => {
    expect(cron(text).expression).toBe(expression);
  });

  it('lists, ranges, steps, names, and 7 as Sunday', () => {
    const parsed = cron('*/20 1,13 1-10/3 jan-mar sun,7');
    expect([...parsed.minutes]).toEqual([0, 20, 40]);
    expect([...parsed.hours]).toEqual([1, 13]);
    expect([...parsed.daysOfMonth]).toEqual([1, 4, 7, 10]);
    expect([...parsed.months]).toEqual([1, 2, 3]);
    expect([...parsed.daysOfWeek]).toEqual([0]);
    expect([...cron('5/30 * * * *').minutes]).toEqual([5, 35]);
  });

  it.each([
    ['0 0 * *', 'cron "0 0 * *" has 4 fields; only the 5-field form (minute hour day month weekday) is supported'],
    ['0 0 0 * * *', 'cron "0 0 0 * * *" has 6 fields; only the 5-field form (minute hour day month weekday) is supported'],
    ['60 0 * * *', 'cron "60 0 * * *": minute "60" is out of 0-59 or not a number'],
    ['0 5-2 * * *', 'cron "0 5-2 * * *": hour range "5-2" runs backwards'],
    ['0 0 L * *', 'cron "0 0 L * *": day of month "L" is out of 1-31 or not a number'],
    ['@often', 'unknown cron macro @often'],
  ])('rejects %s', (text, reason) => {
    expect(parseCron(text)).toEqual({ ok: false, reason });
  });

  it('day of month and day of week: either when both are restricted, both otherwise (Vixie cron)', () => {
    const either = cron('0 0 1 * 1');
    expect(matchesCron(either, { minute: 0, hour: 0, day: 1, month: 6, weekday: 3 })).toBe(true);
    expect(matchesCron(either, { minute: 0, hour: 0, day: 2, month: 6, weekday: 1 })).toBe(true);
    expect(matchesCron(either, { minute: 0, hour: 0, day: 2, month: 6, weekday: 2 })).toBe(false);
    const weekdaysOnly = cron('0 0 * * 1');
    expect(matchesCron(weekdaysOnly, { minute: 0, hour: 0, day: 1, month: 6, weekday: 3 })).toBe(false);
  });
});

describe('previousRun and nextRun', () => {
  it('daily in UTC', () => {
    const daily = cron('0 2 * * *');
    expect(iso(previousRun(daily, at('2025-06-01T02:10:30Z'), utc))).toBe('2025-06-01T02:00:00.000Z');
    expect(iso(previousRun(daily, at('2025-06-01T02:00:00Z'), utc))).toBe('2025-06-01T02:00:00.000Z');
    expect(iso(previousRun(daily, at('2025-06-01T01:59:59Z'), utc))).toBe('2025-05-31T02:00:00.000Z');
    expect(iso(nextRun(daily, at('2025-06-01T02:00:00Z'), utc))).toBe('2025-06-02T02:00:00.000Z');
  });

  it('weekly in a zone with DST: 02:30 Europe/Berlin on Sundays', () => {
    const berlin = wallClockReader('Europe/Berlin');
    if (berlin === undefined) throw new Error('no Europe/Berlin');
    const weekly = cron('30 2 * * 0');
    // Summer: UTC+2.
    expect(iso(nextRun(weekly, at('2025-06-01T12:00:00Z'), berlin))).toBe('2025-06-08T00:30:00.000Z');
    // 30 March 2025: 02:30 does not exist in Berlin (clocks jump from 02:00 to 03:00): no run that day.
    expect(iso(nextRun(weekly, at('2025-03-29T12:00:00Z'), berlin))).toBe('2025-04-06T00:30:00.000Z');
  });

  it('a zone with a 45-minute offset: Asia/Kathmandu (UTC+5:45)', () => {
    const kathmandu = wallClockReader('Asia/Kathmandu');
    if (kathmandu === undefined) throw new Error('no Asia/Kathmandu');
    expect(iso(previousRun(cron('0 0 * * *'), at('2025-06-01T00:00:00Z'), kathmandu))).toBe('2025-05-31T18:15:00.000Z');
  });

  it('unknown time zone and impossible dates', () => {
    expect(wallClockReader('Mars/Olympus')).toBeUndefined();
    expect(nextRun(cron('0 0 31 2 *'), at('2025-06-01T00:00:00Z'), utc)).toBeUndefined();
  });

  it('property: in UTC, previousRun ≤ t < nextRun, both match, and nothing matches in between', () => {
    const minutes = fc.constantFrom('0', '15', '*/30', '5');
    const hours = fc.constantFrom('*', '3', '0', '12');
    const days = fc.constantFrom('*', '1', '15');
    const weekdays = fc.constantFrom('*', '1', '0,6');
    fc.assert(
      fc.property(minutes, hours, days, weekdays, fc.integer({ min: at('2024-01-01T00:00:00Z'), max: at('2026-01-01T00:00:00Z') }), (m, h, d, w, t) => {
        const c = cron(`${m} ${h} ${d} * ${w}`);
        const previous = previousRun(c, t, utc);
        const next = nextRun(c, t, utc);
        if (previous === undefined || next === undefined) return false;
        const clock = (ms: number) => utc(ms);
        if (!(previous <= t && t < next && matchesCron(c, clock(previous)) && matchesCron(c, clock(next)))) return false;
        // Spot-check the minutes after previous (up to 3 hours) for a skipped match.
        for (let probe = previous + 60_000; probe < Math.min(next, previous + 3 * 3_600_000); probe += 60_000) {
          if (probe <= t && matchesCron(c, clock(probe))) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });
});
