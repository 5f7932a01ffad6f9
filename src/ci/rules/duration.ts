/**
 * Durations such as `start_in: 30 minutes`, read like the ChronicDuration gem GitLab uses:
 * numbers with units (`1 day 2 hours`, `1h30m`, `1.5 hours`), `and` and commas ignored, and a
 * bare number counted in seconds. Returns seconds, or undefined when the text is not a duration.
 */
const unitSeconds: Readonly<Record<string, number>> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86_400, day: 86_400, days: 86_400,
  w: 604_800, wk: 604_800, wks: 604_800, week: 604_800, weeks: 604_800,
  mo: 2_592_000, mos: 2_592_000, month: 2_592_000, months: 2_592_000,
  y: 31_557_600, yr: 31_557_600, yrs: 31_557_600, year: 31_557_600, years: 31_557_600,
};

export const ONE_WEEK_SECONDS = 604_800;

export function parseDuration(text: string): number | undefined {
  const normalized = text.toLowerCase().replace(/\band\b|,/g, ' ').trim();
  if (normalized === '') return undefined;
  let total = 0;
  let rest = normalized;
  const part = /^(\d+(?:\.\d+)?)\s*([a-z]*)\s*/;
  while (rest !== '') {
    const match = part.exec(rest);
    if (match === null) return undefined;
    const unit = match[2] ?? '';
    const factor = unit === '' ? 1 : unitSeconds[unit];
    if (factor === undefined) return undefined;
    total += Number(match[1]) * factor;
    rest = rest.slice(match[0].length);
  }
  return total;
}
