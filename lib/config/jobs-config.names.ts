import { own } from '../utils/own.js';
import { DERIVED_NAME_COLLIDES, DUPLICATE_NAME, EXPECTED_NAME } from './config.messages.js';

/** Whether a YAML value is a mapping (not a list, not null). */
export const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// core-lib names classes by Python path (`some_package.MyJob`): the last segment is the job's name.
export const lastSegment = (className: string): string =>
  className.slice(className.lastIndexOf('.') + 1);

/** An entry's name, and the problem with it, if any. */
export interface Naming {
  name?: string;
  problem?: string;
}

/** Applies the naming rule to every entry at once, since uniqueness depends on all of them. */
export function assignNames(list: unknown[]): Naming[] {
  const explicit = new Map<string, number>();
  const namings: Naming[] = list.map((raw, index) => {
    if (!isMapping(raw) || !Object.hasOwn(raw, 'name')) return {};
    const name = raw.name;
    if (typeof name !== 'string' || !name.trim()) return { problem: EXPECTED_NAME };
    const first = explicit.get(name);
    if (first !== undefined) return { name, problem: DUPLICATE_NAME(first, index) };
    explicit.set(name, index);
    return { name };
  });
  const unnamed = list.map((raw) =>
    isMapping(raw) && !Object.hasOwn(raw, 'name') ? classOf(raw) : undefined,
  );
  // How many unnamed entries share each class name: counted once, not per entry (that was
  // quadratic: 100,000 unnamed entries took minutes).
  const uses = new Map<string, number>();
  for (const className of unnamed) {
    if (className === undefined) continue;
    const base = lastSegment(className);
    uses.set(base, (uses.get(base) ?? 0) + 1);
  }
  unnamed.forEach((className, index) => {
    if (className === undefined) return;
    const base = lastSegment(className);
    const name = uses.get(base)! > 1 ? `${base}[${index}]` : base;
    const owner = explicit.get(name);
    namings[index] =
      owner === undefined ? { name } : { name, problem: DERIVED_NAME_COLLIDES(owner) };
  });
  return namings;
}

/** `handler.class` of an entry, when it is a non-empty string. */
export function classOf(raw: unknown): string | undefined {
  const handler = isMapping(raw) ? own(raw, 'handler') : undefined;
  const className = isMapping(handler) ? own(handler, 'class') : undefined;
  return typeof className === 'string' && className.trim() ? className : undefined;
}
