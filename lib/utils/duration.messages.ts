/** Hints of `InvalidDurationError`, one small function per problem. */

const UNITS = "y, mo, w, d, h, m, s, ms and their long forms ('hours', 'mins', ...)";

export const addUnit = (n: string): string => `add a unit, e.g. '${n}s' or '${n}m'`;

export const negative = (): string => 'durations cannot be negative';

export const tooLarge = (): string => 'duration is too large';

export const notANumber = (text: string): string => `'${text}' is not a number`;

export const notAString = (type: string): string => `expected a string, got ${type}`;

export const unknownUnit = (unit: string): string => `'${unit}' is not a unit (units: ${UNITS})`;

export const belowMillisecond = (unit: string): string =>
  `'${unit}' is below a millisecond, the smallest step of the scheduler`;

export const unitsOutOfOrder = (): string => 'units must come largest first, each once';
