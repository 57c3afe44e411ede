/**
 * A fast reader for the plainest YAML: block mappings and sequences of one-line scalars (plain,
 * or quoted without escapes), printable ASCII, with comments. It returns undefined for anything
 * else (flow collections, anchors, tags, escapes, block or multi-line scalars, tabs, duplicate
 * keys, odd indentation, numbers other than decimal integers...), and the loader then parses the
 * text with `yaml`. What it accepts, it reads exactly as `yaml` (YAML 1.2 core schema) would:
 * test/unit/block-yaml.reader.spec.ts compares the two on thousands of generated documents.
 * Why: `yaml` spends ~40 µs per job entry on its tokens and Document (5 s for 100,000 jobs).
 */

import { MAX_DEPTH } from './config.interpolation.js';

/** The plain JS value of a document, and the 1-based line of each item or key in it. */
export interface BlockYaml {
  value: Record<string, unknown>;
  /**
   * Per list or mapping of `value`: the line of each item, or of each key in insertion order.
   * Empty when read without lines.
   */
  lines: Map<object, number[]>;
}

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
class NotPlain extends Error {}

/**
 * Lists and mappings nested deeper than this are left to `yaml` (and then refused as too deep by
 * the loader): the reader recurses once per level, and must not overflow the stack.
 */
const MAX_NESTING = MAX_DEPTH;

const ITEM_KEY = /^[A-Za-z_][A-Za-z0-9_-]*:(?: |$)/;
const KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;
const NOT_PLAIN_TEXT = /[^\x20-\x7e\n]|^[ \n]*$/; // tabs, CR, BOM, non-ASCII, empty
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
// Other numbers of the core schema (octal, hex, .inf, .nan, floats): left to `yaml`.
const OTHER_NUMBER = /^[-+]?(?:\.|[0-9]+[.eE])|^0[ox]/;
// "text" with no backslash or inner quote; 'text' with inner quotes doubled.
const QUOTED = /^(?:"([^"\\]*)"|'((?:[^']|'')*)')$/;
// A plain scalar may not start with an indicator ('-' only before a non-space, see scalar()).
const INDICATOR = /^[?:,[\]{}#&*!|>'"%@`]/;

/**
 * The document as plain JS with its lines, or undefined when it is not in the subset. Without
 * `withLines`, no line is kept (the loader reads again with lines when a message needs one): the
 * table costs a map entry and an array per mapping, 0.6 µs a job entry.
 */
export function readBlockYaml(text: string, withLines = true): BlockYaml | undefined {
  if (NOT_PLAIN_TEXT.test(text)) return undefined;
  try {
    const reader = new Reader(new LineCursor(text), withLines);
    return reader.document();
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
}

/**
 * Walks the lines with content (blank and comment-only lines skipped) one at a time, without
 * splitting the text: a 100,000-job file has 500,000 lines.
 */
class LineCursor {
  /** The current line: column of its first character, its text from there, its number. */
  indent = 0;
  text = '';
  line = 0;
  atEnd = false;
  private offset = 0;

  constructor(private readonly source: string) {
    this.advance();
  }

  /** Moves to the next line with content; document markers are not plain. */
  advance(): void {
    const { source } = this;
    while (this.offset < source.length) {
      const end = source.indexOf('\n', this.offset);
      const stop = end < 0 ? source.length : end;
      const start = this.offset;
      this.offset = stop + 1;
      this.line++;
      let first = start;
      while (first < stop && source.charCodeAt(first) === 32) first++;
      if (first === stop || source[first] === '#') continue;
      if (first === start && /^(?:---|\.\.\.|%)/.test(source.slice(start, start + 3))) {
        throw new NotPlain();
      }
      this.indent = first - start;
      this.text = source.slice(first, stop).trimEnd();
      return;
    }
    this.atEnd = true;
  }

  /** Whether the current line is a `- ` item. */
  isItem(): boolean {
    return this.text.startsWith('- ');
  }
}

class Reader {
  private readonly lineTable = new Map<object, number[]>();

  constructor(
    private readonly at: LineCursor,
    private readonly withLines: boolean,
  ) {}

  /** The list of the lines of `node`'s keys or items, when lines are kept. */
  private linesOf(node: object): number[] | undefined {
    if (!this.withLines) return undefined;
    const lines: number[] = [];
    this.lineTable.set(node, lines);
    return lines;
  }

  document(): BlockYaml | undefined {
    if (this.at.atEnd || this.at.indent !== 0 || this.at.text[0] === '-') return undefined;
    const value = this.map(0, 1);
    return this.at.atEnd ? { value, lines: this.lineTable } : undefined;
  }

  /** A block mapping whose keys sit at column `indent`. */
  private map(indent: number, depth: number): Record<string, unknown> {
    if (depth > MAX_NESTING) throw new NotPlain();
    const result: Record<string, unknown> = {};
    const keyLines = this.linesOf(result);
    while (this.sitsAt(indent)) {
      const { text, line } = this.at;
      const colon = text.indexOf(':');
      const key = text.slice(0, colon);
      if (colon < 0 || !KEY.test(key) || isNullOrBool(key)) throw new NotPlain();
      if (key === '__proto__' || Object.hasOwn(result, key)) throw new NotPlain();
      if (colon + 1 < text.length && text.charCodeAt(colon + 1) !== SPACE) throw new NotPlain();
      this.at.advance();
      keyLines?.push(line);
      result[key] = this.value(indent, inlineText(text, colon + 1), true, depth);
    }
    return result;
  }

  /** A block sequence whose dashes sit at column `indent`. */
  private seq(indent: number, depth: number): unknown[] {
    if (depth > MAX_NESTING) throw new NotPlain();
    const result: unknown[] = [];
    const itemLines = this.linesOf(result);
    while (this.sitsAt(indent) && this.at.isItem()) {
      const { text } = this.at;
      const content = text.slice(2).trimStart();
      itemLines?.push(this.at.line);
      if (ITEM_KEY.test(content)) {
        // `- key: value`: a mapping whose keys sit at the column of this first key.
        this.at.indent += text.length - content.length;
        this.at.text = content;
        result.push(this.map(this.at.indent, depth + 1));
      } else {
        this.at.advance();
        // From the space after '-': a comment right after it (`- # c`) leaves no value.
        result.push(this.value(indent, inlineText(text, 1), false, depth));
      }
    }
    return result;
  }

  /** The value after `key:` or `- `: a scalar on the line, or a block on the next lines. */
  private value(indent: number, inline: string, isKey: boolean, depth: number): unknown {
    if (inline !== '') return scalar(inline);
    if (!isKey) throw new NotPlain(); // a lone '-'
    const { at } = this;
    if (!at.atEnd && at.indent === indent && at.isItem()) return this.seq(indent, depth + 1);
    if (at.atEnd || at.indent <= indent) return null;
    return at.isItem() ? this.seq(at.indent, depth + 1) : this.map(at.indent, depth + 1);
  }

  /** Whether the current line sits at `indent`; false at a shallower one; deeper is not plain. */
  private sitsAt(indent: number): boolean {
    if (this.at.atEnd || this.at.indent < indent) return false;
    if (this.at.indent > indent) throw new NotPlain();
    return true;
  }
}

/**
 * The text of `line` from `start` (just after `:` or `-`) without a trailing ` # comment`, and
 * trimmed; '' when there is none. One slice: this runs on every line.
 */
function inlineText(line: string, start: number): string {
  const hash = line.indexOf(' #', start);
  let end = hash < 0 ? line.length : hash;
  while (start < end && line.charCodeAt(start) === SPACE) start++;
  while (end > start && line.charCodeAt(end - 1) === SPACE) end--;
  return start === end ? '' : line.slice(start, end);
}

/**
 * A one-line scalar: quoted without escapes, or plain by the core schema (null, boolean, decimal
 * integer or string).
 */
// The checks run on every scalar (400,000 in a 100,000-job file): a regular expression runs only
// where the first character allows a match (100,000 jobs: 590 ms to read, 250 ms this way).
function scalar(text: string): unknown {
  const first = text.charCodeAt(0);
  if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
    const quoted = QUOTED.exec(text);
    if (!quoted) throw new NotPlain();
    return quoted[1] ?? quoted[2].replaceAll("''", "'");
  }
  if (INDICATOR.test(text[0]) || (first === DASH && text.length === 1)) throw new NotPlain();
  if (first === DASH && text.charCodeAt(1) === SPACE) throw new NotPlain();
  if (text.includes(': ') || text.endsWith(':') || text.includes(' #')) throw new NotPlain();
  if (text.length <= 5) {
    if (NULL.test(text)) return null;
    if (BOOL.test(text)) return first === T_LOWER || first === T_UPPER;
  }
  if (!startsLikeNumber(first)) return text;
  if (INT.test(text)) return parseInt(text, 10);
  if (OTHER_NUMBER.test(text)) throw new NotPlain();
  return text;
}

const SPACE = 0x20;
const DASH = 0x2d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const T_LOWER = 0x74;
const T_UPPER = 0x54;

/** Whether INT or OTHER_NUMBER could match text starting with this character: 0-9 + - . */
function startsLikeNumber(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x2b || code === DASH || code === 0x2e;
}

/** A key that the core schema reads as null or a boolean (the reader leaves those to `yaml`). */
function isNullOrBool(key: string): boolean {
  return key.length <= 5 && (NULL.test(key) || BOOL.test(key));
}

/**
 * The line of the item or key at a dotted path, as the loader's `lineOf` gives it for a `yaml`
 * Document: a mapping's key, a list's item; undefined when the path leads nowhere.
 */
export function lineIn({ value, lines }: BlockYaml, path: string): number | undefined {
  let node: unknown = value;
  let line = lines.get(value)?.[0];
  for (const segment of path ? path.split('.') : []) {
    if (node === null || typeof node !== 'object') return undefined;
    const index = Array.isArray(node) ? Number(segment) : Object.keys(node).indexOf(segment);
    line = lines.get(node)?.[index];
    if (line === undefined) return undefined;
    node = (node as Record<string, unknown>)[Array.isArray(node) ? index : segment];
  }
  return line;
}
