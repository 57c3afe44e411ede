import { own } from '../utils/own.js';
import {
  BAD_ENV_NAME,
  BAD_INTERPOLATION,
  ENV_NOT_SET,
  SELF_REFERENCE,
  TOO_DEEP,
  UNSUPPORTED_RESOLVER,
  UNTERMINATED,
} from './config.messages.js';

/**
 * Reports one interpolation that could not be resolved: the value's dotted path, the `${...}`
 * text, and what was expected.
 */
export type InterpolationIssue = (path: string, text: string, expected: string) => void;
/** Reports a value that cannot be config data (it contains itself, or nests too deep). */
export type ShapeIssue = (path: string, problem: string) => void;

/** Deeper than any real config; bounds the recursion, so no document can overflow the stack. */
export const MAX_DEPTH = 100;

// An escaped `\${`, a complete `${...}`, or an UNTERMINATED `${`, in that order of preference.
const TOKEN = /\\\$\{|\$\{([^}]*)\}|\$\{/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESOLVER = /^([A-Za-z_][\w.]*)\s*:([\s\S]*)$/;

/**
 * Resolves OmegaConf-style env interpolations (`${oc.env:VAR}`, `${oc.env:VAR,default}`, `${VAR}`)
 * in every string of a parsed document, into a copy; keys are left as written.
 * Results stay strings, even for a lone `${VAR}` that yields 'true', 'false', 'null' or a number:
 * the job spec resolver accepts 'true'/'false' for booleans, and durations are strings anyway.
 * A list or mapping that contains itself (a YAML alias inside its own anchor, a cyclic object) or
 * nests deeper than MAX_DEPTH goes to `onShape` and is left out (undefined).
 */
export function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  onIssue: InterpolationIssue,
  onShape: ShapeIssue = () => undefined,
): unknown {
  const open = new Set<object>(); // the lists and mappings on the path being walked
  const keys: (string | number)[] = []; // the path being walked, joined only for a report
  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') {
      if (!item.includes('${')) return item; // every token has one: most strings have none
      return interpolateString(item, env, (text, expected) =>
        onIssue(keys.join('.'), text, expected),
      );
    }
    if (!Array.isArray(item) && !isPlainObject(item)) return item;
    if (open.has(item)) return void onShape(keys.join('.'), SELF_REFERENCE);
    if (depth >= MAX_DEPTH) return void onShape(keys.join('.'), TOO_DEEP(MAX_DEPTH));
    open.add(item);
    const copy = Array.isArray(item)
      ? item.map(walkChild(depth))
      : copyMapping(item, walkChild(depth));
    open.delete(item);
    return copy;
  };
  const walkChild = (depth: number) => (item: unknown, key: string | number) => {
    keys.push(key);
    const result = walk(item, depth + 1);
    keys.pop();
    return result;
  };
  return walk(value, 0);
}

/** A copy of a mapping with each value mapped; own keys, `__proto__` included, as written. */
function copyMapping(
  item: Record<string, unknown>,
  map: (value: unknown, key: string) => unknown,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(item)) {
    const value = map(item[key], key);
    if (key === '__proto__') Object.defineProperty(copy, key, { value, ...DATA });
    else copy[key] = value;
  }
  return copy;
}

const DATA = { enumerable: true, writable: true, configurable: true };

function interpolateString(
  text: string,
  env: NodeJS.ProcessEnv,
  onIssue: (text: string, expected: string) => void,
): string {
  return text.replace(TOKEN, (token: string, body: string | undefined) => {
    if (token === '\\${') return '${';
    if (body === undefined) {
      onIssue(token, UNTERMINATED);
      return token;
    }
    const result = resolve(body, env);
    if (typeof result === 'string') return result;
    onIssue(token, result.expected);
    return token;
  });
}

/** The value of one `${body}`, or what was expected instead. */
function resolve(body: string, env: NodeJS.ProcessEnv): string | { expected: string } {
  const trimmed = body.trim();
  if (ENV_NAME.test(trimmed)) return lookup(trimmed, undefined, env);
  const resolver = RESOLVER.exec(trimmed);
  if (!resolver) return { expected: BAD_INTERPOLATION };
  if (resolver[1] !== 'oc.env') return { expected: UNSUPPORTED_RESOLVER(resolver[1]) };
  const args = resolver[2];
  const comma = args.indexOf(',');
  const name = (comma < 0 ? args : args.slice(0, comma)).trim();
  const fallback = comma < 0 ? undefined : unquote(args.slice(comma + 1).trim());
  if (!ENV_NAME.test(name)) return { expected: BAD_ENV_NAME(name) };
  return lookup(name, fallback, env);
}

function lookup(
  name: string,
  fallback: string | undefined,
  env: NodeJS.ProcessEnv,
): string | { expected: string } {
  // As in OmegaConf, a variable set to '' counts as set. Own properties only: `${constructor}` is a
  // variable like any other, not Object.prototype's.
  const value = own(env, name);
  const found = typeof value === 'string' ? value : fallback;
  return found === undefined ? { expected: ENV_NOT_SET(name) } : found;
}

/** OmegaConf lets a default be quoted to keep commas or outer spaces: `${oc.env:X,'a, b'}`. */
function unquote(text: string): string {
  const quoted = /^(['"])([\s\S]*)\1$/.exec(text);
  return quoted ? quoted[2] : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
