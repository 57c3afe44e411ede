const EXPECTED =
  "expected a pytimeparse duration such as '30s', '2h32m', '1.5 hours', '1 day, 2:03:04' " +
  "or '16:00' (16 minutes)";

/** Thrown by `parseDuration` for text that is not a valid (non-negative) duration. */
export class InvalidDurationError extends Error {
  override readonly name = 'InvalidDurationError';

  /**
   * @param text the input as given (`String(value)` for a non-string value)
   * @param hint a short, specific fix, e.g. "add a unit, e.g. '30s' or '30m'"
   */
  constructor(
    readonly text: string,
    readonly hint?: string,
  ) {
    super(`Invalid duration ${JSON.stringify(text)}: ${hint ? `${hint}; ` : ''}${EXPECTED}`);
  }
}
