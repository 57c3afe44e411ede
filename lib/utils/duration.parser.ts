/**
 * Durations as text, in two layers.
 *
 * 1. Python's pytimeparse 1.1.8 `timeparse()` (core-lib's YAML uses it), read exactly, in
 *    milliseconds: '30s', '2h32m', '1.5 hours', '1 day, 2:03:04', '16:00' (16 minutes: m:ss),
 *    '1:02:03' (h:mm:ss), ':22', '1:00:00:00' (d:hh:mm:ss). Its regexes are ported below, tried in
 *    its order, and its arithmetic too, quirks included: if the seconds are whole or absent, the
 *    other parts are truncated to whole seconds ('1.01m' is 60s, not 60.6s; '|5s' is 5s).
 * 2. What pytimeparse rejects goes to parse-duration, but only a sequence of `<number><unit>`
 *    tokens ('250ms', '1s 500ms', '1y 2mo', '3 milliseconds'; see duration.extension.ts).
 *
 * Deliberate differences from pytimeparse:
 * - Negative durations ('-5s', even '-0s') throw; '+5s' is fine.
 * - Whatever pytimeparse returns None for or crashes on ('1..5s', a newline inside), and the
 *   extension does not read, throws; so does a bare number ('30', or 30 from YAML): it is
 *   ambiguous, so the hint asks for a unit.
 * - Digits and unit letters are ASCII only (Python's re also takes other Unicode digits and
 *   case-folds e.g. 'ſ' to 's'); whitespace is Python's `\s` exactly.
 * - The result is rounded to the nearest whole millisecond (halves up: '1.5ms' is 2) and must be
 *   a safe integer, so more than ~285,000 years throws ('duration is too large').
 */
import { InvalidDurationError } from '../errors/invalid-duration.error.js';
import { extensionMs } from './duration.extension.js';
import {
  addUnit,
  negative,
  notANumber,
  notAString as notAStringHint,
  tooLarge,
} from './duration.messages.js';

/** Python's `\s*` for str patterns: JS `\s` also has U+FEFF but lacks \x1c-\x1f and \x85. */
const WS =
  '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*';
const part = (name: string, suffixes: string) => `(?<${name}>[\\d.]+)${WS}(?:${suffixes})`;
const WEEKS = part('weeks', 'w|wks?|weeks?');
const DAYS = part('days', 'd|dys?|days?');
const HOURS = part('hours', 'h|hrs?|hours?');
const MINS = part('mins', 'm|mins?|minutes?');
const SECS = part('secs', 's|secs?|seconds?');
const CLOCK_SECS = '\\d{2}(?:\\.\\d+)?';
// pytimeparse's OPTSEP(x) = (?:x\s*(?:[,/]\s*)?)? and it puts \s* between all parts too. Those
// extra \s* are dropped here (each part already ends with one): the same strings and groups match,
// but without the catastrophic backtracking ('1w' + 100 spaces + 'x' takes pytimeparse seconds).
const OPTSEP = (x: string) => `(?:${x}${WS}(?:[,/]${WS})?)?`;

// pytimeparse's TIMEFORMATS, in its order.
const FORMATS = [
  `${OPTSEP(WEEKS)}${OPTSEP(DAYS)}${OPTSEP(HOURS)}${OPTSEP(MINS)}(?:${SECS}${WS})?`,
  `(?<mins>\\d{1,2}):(?<secs>${CLOCK_SECS})${WS}`,
  `${OPTSEP(WEEKS)}${OPTSEP(DAYS)}(?<hours>\\d+):(?<mins>\\d{2}):(?<secs>${CLOCK_SECS})${WS}`,
  `(?<days>\\d+):(?<hours>\\d{2}):(?<mins>\\d{2}):(?<secs>${CLOCK_SECS})${WS}`,
  `:(?<secs>${CLOCK_SECS})${WS}`,
].map((format) => new RegExp(`^${WS}(?:${format})$`, 'i'));

// pytimeparse's COMPILED_SIGN; yes, '|' is in its sign class (and counts as '+').
const SIGN = new RegExp(`^${WS}(?:(?<sign>[+|-])${WS})?`);
const FLOAT = /^(?:\d+(?:\.\d*)?|\.\d+)$/; // what Python's float() takes from [\d.]+
const INT = /^\d+$/; // str.isdigit()
const BARE_NUMBER = new RegExp(`^${WS}(?<n>\\d+(?:\\.\\d*)?|\\.\\d+)${WS}$`);
const SIMPLE = /^(\d+)([wdhms])$/i;
const UNIT_SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
const UNITS = [
  ['weeks', 604800],
  ['days', 86400],
  ['hours', 3600],
  ['mins', 60],
  ['secs', 1],
] as const;

/**
 * Milliseconds for a duration (see the top of this file), rounded to a whole number.
 * @throws InvalidDurationError for anything else, including negatives and bare numbers.
 */
export function parseDuration(text: string): number {
  const value: unknown = text;
  if (typeof value !== 'string') throw notAString(value);
  const signed = SIGN.exec(value) as RegExpExecArray; // always matches
  const sign = signed.groups?.sign;
  // COMPILED_SIGN then takes '.*$', which stops at a newline: pytimeparse crashes on an inner one.
  const unsigned = value.slice(signed[0].length).replace(/\n$/, '');
  if (unsigned.includes('\n')) throw new InvalidDurationError(value);
  const exact = pytimeparseMs(unsigned, value) ?? extensionMs(unsigned, value);
  if (exact === undefined) {
    const bare = BARE_NUMBER.exec(unsigned)?.groups?.n;
    throw new InvalidDurationError(value, bare === undefined ? undefined : addUnit(bare));
  }
  if (sign === '-') throw new InvalidDurationError(value, negative());
  const ms = Math.round(exact);
  if (!Number.isSafeInteger(ms)) throw new InvalidDurationError(value, tooLarge());
  return ms;
}

/** Milliseconds (not rounded) by pytimeparse's grammar, or undefined when it rejects the text. */
function pytimeparseMs(unsigned: string, text: string): number | undefined {
  // '30s', '1h': what FORMATS[0] reads the same, 6x faster (1 s of a 100,000-job YAML boot).
  const simple = SIMPLE.exec(unsigned);
  if (simple) return Number(simple[1]) * UNIT_SECONDS[simple[2].toLowerCase()] * 1000;
  for (const format of FORMATS) {
    const groups = format.exec(unsigned)?.groups;
    // pytimeparse skips a format that matched only whitespace (its first one is all optional).
    if (!groups || Object.values(groups).every((v) => v === undefined)) continue;
    return toMs(groups, text);
  }
  return undefined;
}

/** pytimeparse's arithmetic on the matched parts, in seconds, then milliseconds. */
function toMs(groups: Record<string, string | undefined>, text: string): number {
  const parts = UNITS.filter(([unit]) => groups[unit] !== undefined).map(([unit, seconds]) => ({
    unit,
    seconds,
    value: groups[unit] as string,
  }));
  // '1..5s' matches [\d.]+ but Python's float() raises: pytimeparse crashes, we throw.
  const bad = parts.map((p) => p.value).find((v) => !FLOAT.test(v));
  if (bad !== undefined) throw new InvalidDurationError(text, notANumber(bad));
  // Summed from weeks down, as Python's sum() over the groupdict is: the very same floats.
  const sum = (ps: typeof parts) => ps.reduce((total, p) => total + p.seconds * Number(p.value), 0);
  // pytimeparse: with whole (or no) seconds, int(float sum of the other parts) + secs, so those are
  // truncated to whole seconds (exact when all are whole: it sums ints); else the float sum.
  const secs = groups.secs;
  const seconds =
    secs === undefined || INT.test(secs)
      ? Math.trunc(sum(parts.filter((p) => p.unit !== 'secs'))) + Number(secs ?? 0)
      : sum(parts);
  return seconds * 1000;
}

/** For non-strings reaching us from JS or YAML (`interval: 30`). */
function notAString(value: unknown): InvalidDurationError {
  let text: string;
  try {
    text = String(value);
  } catch {
    text = Object.prototype.toString.call(value); // e.g. Object.create(null)
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    return new InvalidDurationError(text, addUnit(text));
  }
  return new InvalidDurationError(text, notAStringHint(value === null ? 'null' : typeof value));
}

const LOG_UNITS = [
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
] as const;

/**
 * Compact text for logs and `list()`, e.g. 0 -> '0ms', 500 -> '500ms', 1500 -> '1.5s',
 * 90000 -> '1m30s', 86400000 -> '1d'. Rounds to whole milliseconds. `parseDuration` reads the text
 * back to the same number, below 2^52 ms (~142,000 years; above, float seconds lose the last ms).
 */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms);
  if (!Number.isSafeInteger(rest)) return `${ms}ms`; // NaN, Infinity: only for logs anyway
  if (rest < 0) return `-${formatDuration(-rest)}`;
  if (rest < 1000) return `${rest}ms`;
  let text = '';
  for (const [suffix, size] of LOG_UNITS) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${suffix}`;
      rest %= size;
    }
  }
  if (rest === 0) return text;
  const fraction =
    rest % 1000
      ? `.${String(rest % 1000)
          .padStart(3, '0')
          .replace(/0+$/, '')}`
      : '';
  return `${text}${Math.floor(rest / 1000)}${fraction}s`;
}
