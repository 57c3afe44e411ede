/**
 * A boolean from config: `true`/`false`, or their text in any case (interpolated env values
 * arrive as text). undefined for anything else, so the caller names what was expected.
 */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}
