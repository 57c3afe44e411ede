import { readFileSync } from 'node:fs';
import { loadAll, YAMLException, type LoadOptions } from 'js-yaml';
import { isAbsolute, resolve } from 'node:path';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import { DEFAULT_CONFIG_FILE } from '../core-lib-jobs.constants.js';
import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import { interpolate, MAX_DEPTH } from './config.interpolation.js';
import { YAML_CORE_SCHEMA } from './yaml-core.schema.js';
import {
  LOCATION,
  FILE_NOT_FOUND,
  FILE_UNREADABLE,
  INLINE_SOURCE,
  INTERPOLATION_FAILED,
  ONE_DOCUMENT,
  SHAPE_PROBLEM,
  TOO_DEEP,
  YAML_SYNTAX,
  YAML_UNUSABLE,
} from './config.messages.js';
import { own } from '../utils/own.js';

/** A config document, interpolated, with dotted-path lookup and (for YAML files) line numbers. */
export interface LoadedConfig {
  /** Display name of the source for messages: the path as given or '<inline config>'. */
  source: string;
  /** The interpolated document (plain JS). */
  document: unknown;
  /**
   * Returns the value at a dotted path ('core_lib.jobs', 'core_lib.jobs.2.frequency') or undefined.
   */
  at(path: string): unknown;
  /** 1-based line of the node at a dotted path, when the source was a YAML file; else undefined. */
  lineOf(path: string): number | undefined;
  /**
   * `${...}` that could not be resolved (left as written); reported with the other problems of the
   * entry they sit in.
   */
  unresolved: UnresolvedValue[];
}

/** An interpolation that failed, at a dotted path. */
export interface UnresolvedValue {
  path: string;
  text: string;
  expected: string;
}

/** The problem line for an unresolved value outside the job entries. */
export function unresolvedProblem(config: LoadedConfig, failed: UnresolvedValue): string {
  return INTERPOLATION_FAILED(
    LOCATION(config.source, config.lineOf(failed.path)),
    failed.path,
    failed.text,
    failed.expected,
  );
}

/**
 * Loads a YAML config file (default `core_lib.yaml` in cwd) or takes an object; undefined when the
 * default file is absent.
 */
export function loadConfig(
  config: string | object | undefined,
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig | undefined {
  if (config !== undefined && typeof config !== 'string') {
    return build(INLINE_SOURCE, config, () => undefined, env);
  }
  const source = config ?? DEFAULT_CONFIG_FILE;
  const absolute = isAbsolute(source) ? source : resolve(process.cwd(), source);
  const text = readText(absolute, config === undefined);
  return text === undefined ? undefined : fromYaml(source, text, env);
}

/** The file's text, or undefined when an implicit default file is simply absent. */
function readText(absolute: string, implicit: boolean): string | undefined {
  try {
    return readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && implicit) return undefined;
    throw new InvalidJobsConfigError([
      code === 'ENOENT'
        ? FILE_NOT_FOUND(absolute)
        : FILE_UNREADABLE(absolute, (error as Error).message),
    ]);
  }
}

// js-yaml reads the document with YAML 1.2's core schema; `yaml` reads it again, with lines, only
// when a message needs one: its Document costs ~40 µs per job entry (100,000 entries: 8-10 s).
function fromYaml(source: string, text: string, env: NodeJS.ProcessEnv): LoadedConfig {
  let documents: unknown[];
  try {
    documents = loadAll(text, null, READ_OPTIONS);
  } catch (error) {
    throw new InvalidJobsConfigError(unreadableProblems(source, text, error));
  }
  if (documents.length > 1) {
    throw new InvalidJobsConfigError(unreadableProblems(source, text, new Error(ONE_DOCUMENT)));
  }
  let lines: YamlLines | undefined;
  const lineOf = (path: string): number | undefined => (lines ??= readLines(text))(path);
  return build(source, documents[0] ?? null, lineOf, env);
}

/**
 * js-yaml refuses collections nested deeper than this, before its recursion can overflow the
 * stack. Data nested more than MAX_DEPTH is refused with its path by `interpolate`.
 */
const STACK_GUARD_DEPTH = 10 * MAX_DEPTH;

// `maxDepth` is in js-yaml's README (4.2+), not yet in @types/js-yaml.
const READ_OPTIONS: LoadOptions & { maxDepth: number } = {
  schema: YAML_CORE_SCHEMA,
  maxDepth: STACK_GUARD_DEPTH,
};

/**
 * Why js-yaml could not read the text, one line per problem: `yaml`'s syntax errors (with
 * line and column) when it finds any, else js-yaml's reason at its mark.
 */
function unreadableProblems(source: string, text: string, error: unknown): string[] {
  if (error instanceof RangeError) return [YAML_UNUSABLE(source, TOO_DEEP(MAX_DEPTH))];
  const refusal = error instanceof YAMLException ? error : undefined;
  // js-yaml's STACK_GUARD_DEPTH refusal, said as the loader says it for shallower data.
  const reason = refusal?.reason.startsWith('nesting exceeded maxDepth')
    ? TOO_DEEP(MAX_DEPTH)
    : undefined;
  if (reason === undefined) {
    const doc = parseDocument(text, { version: '1.2', prettyErrors: true });
    if (doc.errors.length) return syntaxProblems(source, doc);
  }
  // What `yaml` reads but js-yaml refuses: an unknown tag.
  const why = reason ?? refusal?.reason ?? String((error as Error)?.message ?? error);
  // A mark at the very start is js-yaml's "somewhere in this document" (a mapping as a key).
  const mark = refusal?.mark?.position ? refusal.mark : undefined;
  return [
    mark ? YAML_SYNTAX(source, mark.line + 1, mark.column + 1, why) : YAML_UNUSABLE(source, why),
  ];
}

/** The 1-based line of the node at a dotted path, or undefined. */
type YamlLines = (path: string) => number | undefined;

/** Reads the text again with `yaml`, for its lines; a path leads nowhere if `yaml` fails. */
function readLines(text: string): YamlLines {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.2', lineCounter });
  if (doc.errors.length) return () => undefined;
  return (path) => {
    const offset = nodeAt(doc, path)?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
}

/**
 * One line per syntax error: file:line:column and the reason. `yaml` recurses once per level, so
 * a document nested thousands deep overflows its stack, maybe at several places: that is one
 * problem, said as such.
 */
function syntaxProblems(source: string, doc: Document): string[] {
  const problems: string[] = [];
  let overflowed = false;
  for (const error of doc.errors) {
    const { line, col } = error.linePos?.[0] ?? { line: 1, col: 1 };
    // prettyErrors appends " at line L, column C:" and a code excerpt: keep the reason only.
    const reason = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
    if (!reason.includes('Maximum call stack size exceeded')) {
      problems.push(YAML_SYNTAX(source, line, col, reason));
    } else if (!overflowed) {
      overflowed = true;
      problems.push(YAML_SYNTAX(source, line, col, TOO_DEEP(MAX_DEPTH)));
    }
  }
  return problems;
}

function build(
  source: string,
  raw: unknown,
  lineOf: (path: string) => number | undefined,
  env: NodeJS.ProcessEnv,
): LoadedConfig {
  const unresolved: UnresolvedValue[] = [];
  const shapes: string[] = [];
  const document = interpolate(
    raw,
    env,
    (path, text, expected) => unresolved.push({ path, text, expected }),
    (path, problem) => shapes.push(SHAPE_PROBLEM(LOCATION(source, lineOf(path)), path, problem)),
  );
  // Data that contains itself or nests too deep can be neither checked nor passed to a job.
  if (shapes.length) throw new InvalidJobsConfigError(shapes);
  return { source, document, at: (path) => valueAt(document, path), lineOf, unresolved };
}

const segments = (path: string): string[] => (path ? path.split('.') : []);

/** Own entries only: 'core_lib.constructor' and 'core_lib.jobs.length' are absent. */
function valueAt(document: unknown, path: string): unknown {
  let current = document;
  for (const segment of segments(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current) && !/^(0|[1-9]\d*)$/.test(segment)) return undefined;
    current = own(current, segment);
  }
  return current;
}

/**
 * The YAML node to point at for a path: a mapping's key (where the reader looks), a list's item.
 */
function nodeAt(doc: Document, path: string): Node | undefined {
  let node: unknown = doc.contents;
  let mark: Node | undefined = doc.contents ?? undefined;
  for (const segment of segments(path)) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isSeq(node)) {
      node = node.items[Number(segment)];
      mark = node as Node | undefined;
    } else if (isMap(node)) {
      const pair = node.items.find(
        (item) => String(isScalar(item.key) ? item.key.value : item.key) === segment,
      );
      node = pair?.value;
      mark = (pair?.key ?? undefined) as Node | undefined;
    } else {
      return undefined;
    }
    if (!mark) return undefined;
  }
  return mark;
}
