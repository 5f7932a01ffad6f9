/**
 * When a cron runs in an IANA time zone: the last run at or before an instant and the next run
 * after it. Wall-clock times are read with Intl; the search walks 15-minute blocks of UTC (every
 * current zone offset is a multiple of 15 minutes, so a block stays within one local hour) and
 * checks minutes only in blocks whose local hour and day match. A local time skipped by a DST
 * change never runs; one repeated by it runs twice (each instant is checked on its own).
 */
import { matchesCron, type Cron, type WallClock } from './cron.js';

const MINUTE = 60_000;
const BLOCK = 15 * MINUTE;
/** How far to search: a yearly cron runs within a year; rarer ones (`0 0 29 2 *`) count as never. */
const HORIZON = 367 * 24 * 60 * MINUTE;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A reader of wall-clock fields for `timeZone`, or undefined when Intl does not know the zone. */
export function wallClockReader(timeZone: string): ((instant: number) => WallClock) | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
  } catch {
    return undefined;
  }
  return (instant) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
    return {
      minute: Number(parts['minute']),
      hour: Number(parts['hour']),
      day: Number(parts['day']),
      month: Number(parts['month']),
      weekday: WEEKDAYS.indexOf(parts['weekday'] ?? ''),
    };
  };
}

/** The latest run at or before `at` (ms since the epoch), or undefined within the horizon. */
export function previousRun(cron: Cron, at: number, read: (instant: number) => WallClock): number | undefined {
  const last = Math.floor(at / MINUTE) * MINUTE;
  for (let block = Math.floor(last / BLOCK) * BLOCK; block > last - HORIZON; block -= BLOCK) {
    const minutes = candidateMinutes(cron, block, read).filter((instant) => instant <= last);
    const found = minutes.at(-1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The earliest run after `at`, or undefined within the horizon. */
export function nextRun(cron: Cron, at: number, read: (instant: number) => WallClock): number | undefined {
  const first = Math.floor(at / MINUTE) * MINUTE + MINUTE;
  for (let block = Math.floor(first / BLOCK) * BLOCK; block < first + HORIZON; block += BLOCK) {
    const found = candidateMinutes(cron, block, read).find((instant) => instant >= first);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The instants of one 15-minute block at which the cron runs, ascending. */
function candidateMinutes(cron: Cron, block: number, read: (instant: number) => WallClock): number[] {
  const start = read(block);
  const aligned = start.minute % 15 === 0;
  if (aligned && !matchesCron(cron, { ...start, minute: [...cron.minutes].find((minute) => minute >= start.minute && minute < start.minute + 15) ?? -1 })) {
    return [];
  }
  const found: number[] = [];
  for (let offset = 0; offset < 15; offset += 1) {
    const instant = block + offset * MINUTE;
    // Aligned blocks: the local minute advances with UTC; otherwise (historical offsets) read each.
    const clock = aligned ? { ...start, minute: start.minute + offset } : read(instant);
    if (matchesCron(cron, clock)) found.push(instant);
  }
  return found;
}
