/**
 * Project-controlled patterns under attack: adversarial patterns of about 100 characters, each
 * compiled and matched against a 100-character input chosen to make a backtracking engine try
 * every split. Each row is one compile + match on the linear-time engine, next to the floor (a
 * plain 100-character literal pattern, compiled and matched the same way) and, where it finishes
 * in reasonable time, JavaScript's backtracking RegExp on a shorter input to show the blow-up.
 */
import { compileRe2 } from '../src/ci/expression/re2.js';
import { wildcardMatcher } from '../src/ci/include/repository-path.js';
import { compileGlob } from '../src/ci/rules/glob.js';
import { median, printRows } from './measure.js';

interface Case {
  readonly name: string;
  readonly pattern: string;
  readonly input: string;
  readonly run: (pattern: string, input: string) => boolean | 'refused';
}

const regex = (pattern: string, input: string): boolean => compileRe2(pattern).test(input);
const glob = (pattern: string, input: string): boolean => compileGlob(pattern).test(input);
const wildcard = (pattern: string, input: string): boolean => wildcardMatcher(pattern)(input);
/** Refusing a pattern (RE2 refuses some as too large) is an answer too: the time to refuse counts. */
const refusedOr = (run: Case['run']): Case['run'] => (pattern, input) => {
  try {
    return run(pattern, input);
  } catch {
    return 'refused';
  }
};

const a100 = 'a'.repeat(100);
const a99b = `${'a'.repeat(99)}b`;

export const ADVERSARIAL: readonly Case[] = [
  { name: 'rules:if  ^(a+)+$ nested, ×16', pattern: `^${'(a+)+'.repeat(16)}$`, input: a99b, run: regex },
  { name: 'rules:if  (a|aa)+ alternation', pattern: `^${'(a|aa)+'.repeat(12)}$`, input: a99b, run: regex },
  { name: 'rules:if  (.*a){n} then b', pattern: `^${'(.*a)'.repeat(19)}b`, input: a100, run: regex },
  { name: 'rules:if  \\pL{1000} large class', pattern: '\\pL{1000}\\pN{1000}'.padEnd(100, 'x'), input: a100, run: refusedOr(regex) },
  { name: 'rules:if  (?i) folding, counted', pattern: `(?i)${'[a-z]{1,9}'.repeat(9)}`.slice(0, 100), input: a99b, run: refusedOr(regex) },
  { name: 'changes   *a*a…*b', pattern: `${'*a'.repeat(49)}*b`, input: a100, run: glob },
  { name: 'exists    **/a/**/a… deep', pattern: `${'**/a/'.repeat(19)}b`, input: `${'a/'.repeat(49)}a`, run: glob },
  { name: 'changes   [a-z]*[a-z]*…b', pattern: `${'[a-z]*'.repeat(16)}b`, input: a100, run: glob },
  { name: 'changes   {a,b}{a,b}… braces', pattern: `${'{a,b}*'.repeat(16)}c`, input: a100, run: glob },
  { name: 'changes   {*a,*b}… stars in braces', pattern: `${'{*a,*b}'.repeat(13)}*c`.padEnd(100, '?'), input: a100, run: refusedOr(glob) },
  { name: 'changes   {a*,*b}… 32 expansions', pattern: `${'{a*,*b}'.repeat(5)}`.padEnd(100, '*?'), input: a100, run: refusedOr(glob) },
  { name: 'changes   {a*,*b}… 64: over the cap', pattern: `${'{a*,*b}'.repeat(6)}`.padEnd(100, '*?'), input: a100, run: refusedOr(glob) },
  { name: 'rules:if  [^x]{1000} counted class', pattern: '[^x]{1000}'.repeat(10), input: a100, run: refusedOr(regex) },
  { name: 'include   **a**a…**b.yml', pattern: `${'**a'.repeat(31)}**b.yml`, input: `${a100}.yml`, run: wildcard },
];

const FLOOR: Case = { name: 'floor: 100-char literal', pattern: 'x'.repeat(100), input: a100, run: regex };

function timeOnce(work: () => unknown): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Median of 5 cold compiles + matches (a pattern is compiled once per rule per compose). */
function timeCase(entry: Case): number {
  entry.run(entry.pattern, entry.input); // warm the engine's code, not this pattern's
  return median(Array.from({ length: 5 }, () => timeOnce(() => entry.run(entry.pattern, entry.input))));
}

export function benchPatterns(): void {
  const floorMs = timeCase(FLOOR);
  // The backtracking engine on the first case with only 24 characters of input: already slow.
  const short = `${'a'.repeat(23)}b`;
  const backtrackingMs = timeOnce(() => new RegExp(`^(a+)+$`).test(short));
  const rows: [string, string][] = [[FLOOR.name, `${floorMs.toFixed(2)} ms`]];
  let worst = 0;
  for (const entry of ADVERSARIAL) {
    const ms = timeCase(entry);
    const answer = entry.run(entry.pattern, entry.input);
    worst = Math.max(worst, ms);
    rows.push([`${entry.name} (${entry.pattern.length} chars)`, `${ms.toFixed(2)} ms  (${(ms / floorMs).toFixed(1)}x floor)  ${answer === 'refused' ? 'refused' : answer ? 'match' : 'no match'}`]);
  }
  rows.push(['worst adversarial case', `${worst.toFixed(2)} ms (target: under 50 ms)`]);
  rows.push(['JavaScript RegExp ^(a+)+$ on 24 chars', `${backtrackingMs.toFixed(0)} ms (doubles per character: 41 chars ≈ ${((backtrackingMs * 2 ** 17) / 1000 / 60).toFixed(0)} min)`]);
  printRows('Project-controlled patterns (linear-time engine)', rows);
}
