import { badEnvName, badInterpolation, envNotSet, unsupportedResolver, unterminated } from './config.messages.js';

/** Reports one interpolation that could not be resolved: dotted path of the value, the `${...}` text, and what was expected. */
export type InterpolationIssue = (path: string, text: string, expected: string) => void;

// An escaped `\${`, a complete `${...}`, or an unterminated `${`, in that order of preference.
const TOKEN = /\\\$\{|\$\{([^}]*)\}|\$\{/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESOLVER = /^([A-Za-z_][\w.]*)\s*:([\s\S]*)$/;

/**
 * Resolves OmegaConf-style env interpolations (`${oc.env:VAR}`, `${oc.env:VAR,default}`, `${VAR}`)
 * in every string of a parsed document; keys are left as written.
 * Results stay strings, even for a lone `${VAR}` that yields 'true', 'false', 'null' or a number:
 * the job spec resolver accepts 'true'/'false' for booleans, and durations are strings anyway.
 */
export function interpolate(value: unknown, env: NodeJS.ProcessEnv, onIssue: InterpolationIssue, path = ''): unknown {
  const child = (key: string | number): string => (path ? `${path}.${key}` : String(key));
  if (typeof value === 'string') return interpolateString(value, env, (text, expected) => onIssue(path, text, expected));
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, onIssue, child(index)));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env, onIssue, child(key))]));
  }
  return value;
}

function interpolateString(text: string, env: NodeJS.ProcessEnv, onIssue: (text: string, expected: string) => void): string {
  return text.replace(TOKEN, (token: string, body: string | undefined) => {
    if (token === '\\${') return '${';
    if (body === undefined) {
      onIssue(token, unterminated());
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
  if (!resolver) return { expected: badInterpolation() };
  if (resolver[1] !== 'oc.env') return { expected: unsupportedResolver(resolver[1]) };
  const args = resolver[2];
  const comma = args.indexOf(',');
  const name = (comma < 0 ? args : args.slice(0, comma)).trim();
  const fallback = comma < 0 ? undefined : unquote(args.slice(comma + 1).trim());
  if (!ENV_NAME.test(name)) return { expected: badEnvName(name) };
  return lookup(name, fallback, env);
}

function lookup(name: string, fallback: string | undefined, env: NodeJS.ProcessEnv): string | { expected: string } {
  // As in OmegaConf, a variable set to '' counts as set.
  const found = env[name] ?? fallback;
  return found === undefined ? { expected: envNotSet(name) } : found;
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
