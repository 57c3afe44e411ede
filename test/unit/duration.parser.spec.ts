import { InvalidDurationError } from '../../lib/errors/invalid-duration.error.js';
import { formatDuration, parseDuration } from '../../lib/utils/duration.parser.js';

const EXPECTED =
  "expected a pytimeparse duration such as '30s', '2h32m', '1.5 hours', '1 day, 2:03:04' or '16:00' (16 minutes)";

/** The InvalidDurationError that `fn` throws; fails the test if it throws nothing or something else. */
function thrownBy(fn: () => unknown): InvalidDurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDurationError);
    return error as InvalidDurationError;
  }
  throw new Error('expected an InvalidDurationError, but nothing was thrown');
}

describe('parseDuration', () => {
  // Every expected value is pytimeparse 1.1.8's timeparse() result, in seconds, times 1000.
  describe('reads what pytimeparse reads, in milliseconds', () => {
    it.each<[string, number]>([
      ['1s', 1_000],
      ['30m', 1_800_000],
      ['2h32m', 9_120_000],
      ['1.5 hours', 5_400_000],
      ['1 day, 2:03:04', 93_784_000],
      ['16:00', 960_000], // m:ss, so 16 minutes, not 16 hours
      ['1:02:03', 3_723_000],
      [':22', 22_000],
      ['1w', 604_800_000],
      ['2 weeks', 1_209_600_000],
      ['1d', 86_400_000],
      ['1 dy', 86_400_000],
      ['3 hrs', 10_800_000],
      ['10 mins', 600_000],
      ['45 secs', 45_000],
      ['1:00:00:00', 86_400_000],
      ['0s', 0],
      ['  5s  ', 5_000],
      ['5S', 5_000],
      ['10 DAYS 5 HOURS', 882_000_000],
      ['1h, 30m', 5_400_000],
      ['1h/30m', 5_400_000],
      ['1.2 m', 72_000],
      ['4:13', 253_000],
      ['4:13:02', 15_182_000],
      ['4:13:02.266', 15_182_266],
      ['2:04:13:02.266', 187_982_266],
      ['+5s', 5_000],
      // pytimeparse's own doctests
      ['1:24', 84_000],
      ['1 minute, 24 secs', 84_000],
      ['1m24s', 84_000],
      ['1.2 minutes', 72_000],
      ['1.2 seconds', 1_200],
      ['+ 1 minute', 60_000],
      // more shapes
      ['1 day 2 hours', 93_600_000],
      ['1 wk 3 days 2 hours', 871_200_000],
      ['1w 1d 1:00:00', 694_800_000], // weeks and days before h:mm:ss
      ['1.5h/20m, 10s', 6_610_000],
      ['0.5w', 302_400_000],
      ['1.75 d', 151_200_000],
      ['5 s', 5_000],
      ['.5s', 500],
      ['5.s', 5_000],
      ['\t5s\n', 5_000],
      ['\x1c5s\x85', 5_000], // Python's \s has these; JS \s does not
      ['\u3000+\n1h\u00a030m', 5_400_000],
      ['9007199254740s', 9_007_199_254_740_000], // the largest whole second that fits
    ])('%j is %d ms', (text, ms) => {
      expect(parseDuration(text)).toBe(ms);
    });

    it.each<[string, number]>([
      ...['w', 'wk', 'wks', 'week', 'weeks'].map((u): [string, number] => [u, 604_800_000]),
      ...['d', 'dy', 'dys', 'day', 'days'].map((u): [string, number] => [u, 86_400_000]),
      ...['h', 'hr', 'hrs', 'hour', 'hours'].map((u): [string, number] => [u, 3_600_000]),
      ...['m', 'min', 'mins', 'minute', 'minutes'].map((u): [string, number] => [u, 60_000]),
      ...['s', 'sec', 'secs', 'second', 'seconds'].map((u): [string, number] => [u, 1_000]),
    ])('reads the unit %j, with or without a space, in any case', (unit, ms) => {
      expect(parseDuration(`2${unit}`)).toBe(2 * ms);
      expect(parseDuration(`2 ${unit.toUpperCase()}`)).toBe(2 * ms);
    });

    // pytimeparse's arithmetic, reproduced rather than "fixed".
    it.each<[string, number, string]>([
      ['1.01m', 60_000, 'whole or no seconds: the other parts are truncated to whole seconds'],
      ['1.0001m', 60_000, 'truncated too'],
      ['1.0001m 0.0s', 60_006, 'fractional seconds: the float sum is kept'],
      ['1.5h 30s', 5_430_000, 'fractional hours, whole seconds'],
      ['1.5h 30.5s', 5_430_500, 'fractional hours and seconds'],
      [
        '2.05m',
        122_000,
        'the float product is 122.99999999999999, truncated: pytimeparse says 122',
      ],
      ['1:99', 159_000, 'm:ss does not check that seconds are under 60'],
      ['1:60:00', 7_200_000, 'nor h:mm:ss the minutes'],
      ['5m,', 300_000, 'a separator may trail a unit other than seconds'],
      ['|5s', 5_000, "'|' is in its sign class and counts as '+'"],
      ['0.0005s', 1, 'sub-millisecond: rounded to the nearest ms, halves up'],
      ['0.0004s', 0, 'sub-millisecond: rounded down'],
    ])('%j is %d ms (%s)', (text, ms) => {
      expect(parseDuration(text)).toBe(ms);
    });
  });

  // What pytimeparse rejects goes to parse-duration, but only as a sequence of <number><unit>.
  describe('reads a sequence of <number><unit> tokens with parse-duration (the extension layer)', () => {
    const Y = 31_557_600_000; // parse-duration's year: 365.25 days
    it.each<[string, number]>([
      ['250ms', 250],
      ['1s 500ms', 1_500],
      ['1s, 500ms', 1_500],
      ['1s/500ms', 1_500],
      ['2h 500 MS', 7_200_500],
      ['3 milliseconds', 3],
      ['1 millisecond', 1],
      ['2 millisecs', 2],
      ['1.5ms', 2], // rounded to whole ms, halves up
      ['1.4ms', 1],
      ['+ 0ms', 0],
      ['1.5s 250ms', 1_750],
      ['1y', Y],
      ['1 year', Y],
      ['2 YEARS', 2 * Y],
      ['1yr', Y],
      ['2mo', Y / 6],
      ['1 month', Y / 12],
      ['3mths', Y / 4],
      ['1y 2mo', Y + Y / 6],
      [
        '1y2mo3w4d5h6m7s8ms',
        Y + Y / 6 + 3 * 604_800_000 + 4 * 86_400_000 + 5 * 3_600_000 + 6 * 60_000 + 7_008,
      ],
      ['.5y', Y / 2],
      ['1h 30m 15s 250ms', 5_415_250],
      // plain arithmetic here, not pytimeparse's truncation to whole seconds ('1.01m' alone is 60s)
      ['1.01m 500ms', 61_100],
      ['1ms  ', 1],
    ])('%j is %d ms', (text, ms) => {
      expect(parseDuration(text)).toBe(ms);
    });

    it.each<[string, number]>([
      ['16:00', 960_000], // parse-duration alone: 16 ms
      ['1:30', 90_000], // m:ss
      ['1hr', 3_600_000],
      ['2 mins', 120_000],
      ['1.5 hours', 5_400_000],
      ['1.01m', 60_000], // pytimeparse's truncation kept
    ])("keeps pytimeparse's value where pytimeparse reads the text: %j is %d ms", (text, ms) => {
      expect(parseDuration(text)).toBe(ms);
    });

    it.each<[string, string]>([
      ['500ms 1s', 'units must come largest first, each once'],
      ['1ms 1ms', 'units must come largest first, each once'],
      ['30m 1h', 'units must come largest first, each once'],
      ['1h 1h', 'units must come largest first, each once'],
      ['1m 1min', 'units must come largest first, each once'], // the same unit, spelt twice
      ['2mo 1y', 'units must come largest first, each once'],
      ['5 parsecs', "'parsecs' is not a unit"],
      ['1 msec', "'msec' is not a unit"], // not a parse-duration unit
      ['1m, 2msecs', "'msecs' is not a unit"],
      ['1group', "'group' is not a unit"], // a key of parse-duration's unit table, but not a unit
      ['1decimal', "'decimal' is not a unit"],
      ['1constructor', "'constructor' is not a unit"],
      ['2e3s', "'e' is not a unit"], // parse-duration reads exponents; a config need not
      ['500us', "'us' is below a millisecond"],
      ['1ns', "'ns' is below a millisecond"],
      ['1 microsecond', "'microsecond' is below a millisecond"],
      ['-1y', 'durations cannot be negative'],
      ['- 250ms', 'durations cannot be negative'],
      [`${'9'.repeat(90)}y`, 'duration is too large'],
    ])('rejects %j: %s', (text, hint) => {
      const error = thrownBy(() => parseDuration(text));
      expect(error.text).toBe(text);
      expect(error.hint?.slice(0, hint.length)).toBe(hint);
    });

    // parse-duration alone reads every one of these (as 1 day, 1 s, 90 min, 10 ms, 1 h...).
    it.each([
      '1 day of rest',
      '1s xyz',
      '1h-30m',
      '1h+30m',
      'duration: 1h',
      '1h and 30m',
      '500 ms s',
      ',500ms',
      '1s,,500ms',
      '1s,',
      'ms',
      '1,500ms', // parse-duration: 1500 ms, a group separator
      '1 2s',
      '1h 30', // every number needs its unit
      '1\u00b5s', // non-ASCII unit letters
      `1${'s'.repeat(15)}`,
      `${'1s '.repeat(40)}`, // over parse-duration's advised 100 characters
    ])('rejects %j as any unreadable duration (no hint)', (text) => {
      const error = thrownBy(() => parseDuration(text));
      expect(error.text).toBe(text);
      expect(error.hint).toBeUndefined();
    });

    it.each(['10', ' 10 ', '1.5'])(
      'still rejects the bare number %j, with the hint to add a unit',
      (text) => {
        expect(thrownBy(() => parseDuration(text)).hint).toMatch(/^add a unit/);
      },
    );

    it("reads English units even when the app switched parse-duration's locale, and leaves it switched", async () => {
      const { default: parse } = await import('parse-duration');
      const { default: es } = await import('parse-duration/locale/es.js');
      const before = parse.unit;
      parse.unit = es;
      try {
        expect(parseDuration('2 years')).toBe(2 * Y);
        expect(thrownBy(() => parseDuration('2 años')).text).toBe('2 años');
        expect(parse.unit).toBe(es);
        expect(parse('1 hora', 'm')).toBe(60);
      } finally {
        parse.unit = before;
      }
    });
  });

  describe('rejects what pytimeparse does not read', () => {
    it.each([
      '1h foo',
      '2 hours ago',
      '',
      '   ',
      'abc',
      '1:2', // m:ss needs two digits of seconds
      '100:00', // and at most two of minutes
      '5s,', // unlike '5m,', pytimeparse rejects a separator after the seconds
      '1h\n30m', // pytimeparse crashes on an inner newline
      '5s\n\n',
      '\ufeff5s', // BOM is JS whitespace but not Python's
    ])('%j, quoting it in the message', (text) => {
      const error = thrownBy(() => parseDuration(text));
      expect(error.text).toBe(text);
      expect(error.hint).toBeUndefined();
      expect(error.message).toBe(`Invalid duration ${JSON.stringify(text)}: ${EXPECTED}`);
    });

    it.each([
      ['30', "add a unit, e.g. '30s' or '30m'"],
      ['1.5', "add a unit, e.g. '1.5s' or '1.5m'"],
      [' 45 ', "add a unit, e.g. '45s' or '45m'"],
      ['+30', "add a unit, e.g. '30s' or '30m'"],
      ['-5s', 'durations cannot be negative'],
      ['- 1 minute', 'durations cannot be negative'],
      ['-0s', 'durations cannot be negative'],
      ['-16:00', 'durations cannot be negative'],
      ['1..5s', "'1..5' is not a number"],
      ['.s', "'.' is not a number"],
      ['1.2.3h 5s', "'1.2.3' is not a number"],
      ['9007199254741s', 'duration is too large'],
      [`${'9'.repeat(400)}s`, 'duration is too large'],
    ])('%j with the hint %j', (text, hint) => {
      const error = thrownBy(() => parseDuration(text));
      expect(error.text).toBe(text);
      expect(error.hint).toBe(hint);
      expect(error.message).toBe(`Invalid duration ${JSON.stringify(text)}: ${hint}; ${EXPECTED}`);
    });
  });

  it("stays ASCII where Python's re does not: '1\u017f' (long s) is 1s to pytimeparse, an error here", () => {
    expect(thrownBy(() => parseDuration('1\u017f')).text).toBe('1\u017f');
  });

  describe('rejects non-strings (YAML and plain JS can pass them)', () => {
    it.each<[unknown, string, string]>([
      [30, '30', "add a unit, e.g. '30s' or '30m'"],
      [1.5, '1.5', "add a unit, e.g. '1.5s' or '1.5m'"],
      [0, '0', "add a unit, e.g. '0s' or '0m'"],
      [-5, '-5', 'expected a string, got number'],
      [Number.NaN, 'NaN', 'expected a string, got number'],
      [null, 'null', 'expected a string, got null'],
      [undefined, 'undefined', 'expected a string, got undefined'],
      [{}, '[object Object]', 'expected a string, got object'],
      [Object.create(null), '[object Object]', 'expected a string, got object'], // String() throws on it
      [true, 'true', 'expected a string, got boolean'],
    ])('%p', (value, text, hint) => {
      const error = thrownBy(() => parseDuration(value as string));
      expect(error.text).toBe(text);
      expect(error.hint).toBe(hint);
      expect(error.message).toContain(`Invalid duration ${JSON.stringify(text)}: ${hint}`);
    });
  });

  it('does not backtrack catastrophically on long near-misses (pytimeparse takes seconds)', () => {
    const start = performance.now();
    for (const text of [
      '1w' + ' '.repeat(70) + 'x',
      '1h' + ' '.repeat(300) + 'x',
      '1'.repeat(5000) + '..x',
    ]) {
      expect(() => parseDuration(text)).toThrow(InvalidDurationError);
    }
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe('InvalidDurationError', () => {
  it('is a named Error quoting the text with JSON.stringify', () => {
    const error = new InvalidDurationError('say "hi"\n', 'a hint');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidDurationError');
    expect(error.text).toBe('say "hi"\n');
    expect(error.hint).toBe('a hint');
    expect(error.message).toBe(`Invalid duration "say \\"hi\\"\\n": a hint; ${EXPECTED}`);
    expect(String(error)).toMatch(/^InvalidDurationError: Invalid duration /);
  });

  it('has the documented message without a hint', () => {
    expect(new InvalidDurationError('1h foo').message).toBe(
      `Invalid duration "1h foo": expected a pytimeparse duration such as '30s', '2h32m', '1.5 hours', ` +
        `'1 day, 2:03:04' or '16:00' (16 minutes)`,
    );
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0ms'],
    [1, '1ms'],
    [500, '500ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [1_001, '1.001s'],
    [1_010, '1.01s'],
    [60_000, '1m'],
    [60_001, '1m0.001s'],
    [90_000, '1m30s'],
    [90_500, '1m30.5s'],
    [3_600_000, '1h'],
    [3_600_500, '1h0.5s'],
    [86_400_000, '1d'],
    [93_784_000, '1d2h3m4s'],
    [604_800_000, '1w'],
    [1_209_600_000, '2w'],
    [694_861_001, '1w1d1h1m1.001s'],
    [1.4, '1ms'], // rounded to whole ms
    [1_499.6, '1.5s'],
    [-1_500, '-1.5s'],
    [-0.4, '0ms'],
    [Number.NaN, 'NaNms'],
    [Number.POSITIVE_INFINITY, 'Infinityms'],
  ])('%d -> %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('writes text that parseDuration reads back to the same number', () => {
    const samples = [
      0,
      1,
      999,
      1_000,
      59_999,
      60_001,
      3_599_999,
      86_399_999,
      2 ** 31 - 1,
      2 ** 52 - 1,
    ];
    let seed = 42; // a fixed LCG, so a failure is reproducible
    for (let i = 0; i < 2_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      samples.push(Math.floor((seed / 2 ** 31) * 10 ** (i % 16)));
    }
    for (const ms of samples) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
