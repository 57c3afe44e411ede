/**
 * The extension layer after the pytimeparse grammar: a sequence of `<number><unit>` tokens read
 * by parse-duration ('1.5 hours', '250ms', '1y 2mo', '1s, 500ms'). Stricter than parse-duration
 * alone, which reads any text that holds a number ('1 day of rest' is a day to it): here every
 * token needs a unit it knows, units come largest first and once each, and nothing else may
 * stand between the tokens but spaces and one ',' or '/'.
 */
import parse from 'parse-duration';
import en from 'parse-duration/locale/en.js';
import { InvalidDurationError } from '../errors/invalid-duration.error.js';
import { belowMillisecond, unitsOutOfOrder, unknownUnit } from './duration.messages.js';

const NUMBER = '(?:\\d+(?:\\.\\d+)?|\\.\\d+)';
// parse-duration reads at most 14 letters as a unit; `(?![a-z])` keeps a longer word whole.
const TOKEN = `${NUMBER}[ \\t]*[a-z]{1,14}(?![a-z])`;
const SEQUENCE = new RegExp(`^${TOKEN}(?:[ \\t]*(?:[,/][ \\t]*)?${TOKEN})*$`, 'i');
const TOKENS = new RegExp(`(${NUMBER})[ \\t]*([a-z]+)`, 'gi');
/** parse-duration's own advice: hand it nothing longer. */
const MAX_LENGTH = 100;

/**
 * Milliseconds (not rounded) of a token sequence (after the sign, which the caller reads), or
 * undefined when `unsigned` is not one: the caller reports it as any other unreadable duration.
 * @throws InvalidDurationError for a sequence with an unknown, repeated or sub-millisecond unit
 */
export function extensionMs(unsigned: string, original: string): number | undefined {
  if (unsigned.length > MAX_LENGTH) return undefined;
  const text = unsigned.trimEnd();
  if (!SEQUENCE.test(text)) return undefined;
  return withEnglishUnits(() => {
    let total = 0;
    let previous = Infinity;
    for (const [, number, unit] of text.matchAll(TOKENS)) {
      const size = parse(`1${unit}`);
      if (typeof size !== 'number') throw new InvalidDurationError(original, unknownUnit(unit));
      if (size < 1) throw new InvalidDurationError(original, belowMillisecond(unit));
      if (size >= previous) throw new InvalidDurationError(original, unitsOutOfOrder());
      previous = size;
      total += parse(`${number}${unit}`) as number;
    }
    return total;
  });
}

/** parse-duration's units are a global an app may switch to another language: ours are English. */
function withEnglishUnits<T>(read: () => T): T {
  const units = parse.unit;
  parse.unit = en;
  try {
    return read();
  } finally {
    parse.unit = units;
  }
}
