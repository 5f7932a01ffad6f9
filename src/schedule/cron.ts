/**
 * A 5-field cron matcher for scan execution policy cadences (gitlab-pep-sep.md §4.1): minute,
 * hour, day of month, month, day of week; `*`, lists, ranges, steps, month and day names, and the
 * `@daily`-style macros. As in Vixie cron (and Fugit, which GitLab uses), when both day fields are
 * restricted a day matches either of them. No installed package parses cron, hence this file.
 */

export interface Cron {
  /** The 5-field form (macros expanded), as given to GitLab pipeline schedules. */
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday; 7 is read as 0. */
  readonly daysOfWeek: ReadonlySet<number>;
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
  /** The raw minute and hour fields, for GitLab's "daily or weekly only" check. */
  readonly minuteField: string;
  readonly hourField: string;
}

export type CronParse = { readonly ok: true; readonly cron: Cron } | { readonly ok: false; readonly reason: string };

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@noon': '0 12 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names for values, starting at `min`. */
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES },
];

export function parseCron(text: string): CronParse {
  const trimmed = text.trim();
  const expression = trimmed.startsWith('@') ? MACROS[trimmed.toLowerCase()] : trimmed.split(/\s+/).join(' ');
  if (expression === undefined) return { ok: false, reason: `unknown cron macro ${trimmed}` };
  const fields = expression.split(' ');
  if (fields.length !== 5) {
    return { ok: false, reason: `cron "${trimmed}" has ${fields.length} fields; only the 5-field form (minute hour day month weekday) is supported` };
  }
  const sets: Set<number>[] = [];
  for (const [position, spec] of FIELDS.entries()) {
    const parsed = parseField(fields[position] ?? '', spec);
    if (typeof parsed === 'string') return { ok: false, reason: `cron "${trimmed}": ${parsed}` };
    sets.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    ok: true,
    cron: {
      expression,
      minutes,
      hours,
      daysOfMonth,
      months,
      daysOfWeek,
      dayOfMonthRestricted: !(fields[2] ?? '').startsWith('*'),
      dayOfWeekRestricted: !(fields[4] ?? '').startsWith('*'),
      minuteField: fields[0] ?? '',
      hourField: fields[1] ?? '',
    },
  };
}

/** One field: a set of values, or the problem as text. */
function parseField(field: string, spec: FieldSpec): Set<number> | string {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const match = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    const range = match?.[1];
    if (range === undefined) return `${spec.name} field "${field}" is not valid`;
    const step = match?.[2] === undefined ? 1 : Number(match[2]);
    if (step < 1) return `${spec.name} step must be at least 1`;
    let low: number | undefined;
    let high: number | undefined;
    if (range === '*') {
      low = spec.min;
      high = spec.name === 'day of week' ? 6 : spec.max;
    } else {
      const [from, to, extra] = range.split('-');
      if (extra !== undefined) return `${spec.name} range "${range}" is not valid`;
      low = valueOf(from ?? '', spec);
      // `a/n` means from a to the end, as in Vixie cron.
      high = to !== undefined ? valueOf(to, spec) : match?.[2] !== undefined ? spec.max : low;
    }
    if (low === undefined || high === undefined) return `${spec.name} "${range}" is out of ${spec.min}-${spec.max} or not a number`;
    if (low > high) return `${spec.name} range "${range}" runs backwards`;
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

function valueOf(text: string, spec: FieldSpec): number | undefined {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}

/** Wall-clock fields of an instant in a time zone. */
export interface WallClock {
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  readonly month: number;
  readonly weekday: number;
}

export function matchesCron(cron: Cron, clock: WallClock): boolean {
  if (!cron.minutes.has(clock.minute) || !cron.hours.has(clock.hour) || !cron.months.has(clock.month)) return false;
  const dom = cron.daysOfMonth.has(clock.day);
  const dow = cron.daysOfWeek.has(clock.weekday);
  // Vixie cron: both day fields restricted → either matches; otherwise both must (a `*` always does).
  return cron.dayOfMonthRestricted && cron.dayOfWeekRestricted ? dom || dow : dom && dow;
}
