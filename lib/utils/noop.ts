/**
 * Does nothing: a default callback, or a catch handler for a promise whose failure is handled
 * elsewhere.
 */
export const noop = (): void => undefined;
