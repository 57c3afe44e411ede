/**
 * `record[key]` only when `key` is the record's own property. Config names are the user's text:
 * `constructor`, `toString` or `__proto__` must read as absent, never as what Object.prototype has.
 */
export function own(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}
