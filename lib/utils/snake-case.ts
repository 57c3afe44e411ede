/** `retryDelay` → `retry_delay`: how a camelCase option is named in YAML. */
export function snakeCase(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
