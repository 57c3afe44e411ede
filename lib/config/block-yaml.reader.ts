/**
 * A fast reader for the plainest YAML: block mappings and sequences of one-line scalars (plain,
 * or quoted without escapes), printable ASCII, with comments. It returns undefined for anything
 * else (flow collections, anchors, tags, escapes, block or multi-line scalars, tabs, duplicate
 * keys, odd indentation, numbers other than decimal integers...), and the loader then parses the
 * text with `yaml`. What it accepts, it reads exactly as `yaml` (YAML 1.2 core schema) would:
 * test/unit/block-yaml.reader.spec.ts compares the two on thousands of generated documents.
 * Why: `yaml` spends ~40 µs per job entry on its tokens and Document (5 s for 100,000 jobs).
 */

/** The plain JS value of a document, and the 1-based line of each item or key in it. */
export interface BlockYaml {
  value: Record<string, unknown>;
  /** Per list or mapping of `value`: the line of each item, or of each key in insertion order. */
  lines: Map<object, number[]>;
}

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
class NotPlain extends Error {}

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

/** The document as plain JS with its lines, or undefined when it is not in the subset. */
export function readBlockYaml(text: string): BlockYaml | undefined {
  if (NOT_PLAIN_TEXT.test(text)) return undefined;
  try {
    const reader = new Reader(new LineCursor(text));
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

  constructor(private readonly at: LineCursor) {}

  document(): BlockYaml | undefined {
    if (this.at.atEnd || this.at.indent !== 0 || this.at.text[0] === '-') return undefined;
    const value = this.map(0);
    return this.at.atEnd ? { value, lines: this.lineTable } : undefined;
  }

  /** A block mapping whose keys sit at column `indent`. */
  private map(indent: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const keyLines: number[] = [];
    this.lineTable.set(result, keyLines);
    while (this.sitsAt(indent)) {
      const { text, line } = this.at;
      const colon = text.indexOf(':');
      const key = text.slice(0, colon);
      const rest = text.slice(colon + 1);
      if (colon < 0 || !KEY.test(key) || NULL.test(key) || BOOL.test(key)) throw new NotPlain();
      if (key === '__proto__' || Object.hasOwn(result, key)) throw new NotPlain();
      if (rest !== '' && rest[0] !== ' ') throw new NotPlain();
      this.at.advance();
      keyLines.push(line);
      result[key] = this.value(indent, withoutComment(rest), true);
    }
    return result;
  }

  /** A block sequence whose dashes sit at column `indent`. */
  private seq(indent: number): unknown[] {
    const result: unknown[] = [];
    const itemLines: number[] = [];
    this.lineTable.set(result, itemLines);
    while (this.sitsAt(indent) && this.at.isItem()) {
      const content = this.at.text.slice(2).trimStart();
      itemLines.push(this.at.line);
      if (ITEM_KEY.test(content)) {
        // `- key: value`: a mapping whose keys sit at the column of this first key.
        this.at.indent += this.at.text.length - content.length;
        this.at.text = content;
        result.push(this.map(this.at.indent));
      } else {
        this.at.advance();
        result.push(this.value(indent, withoutComment(' ' + content), false));
      }
    }
    return result;
  }

  /** The value after `key:` or `- `: a scalar on the line, or a block on the next lines. */
  private value(indent: number, inline: string, isKey: boolean): unknown {
    if (inline !== '') return scalar(inline);
    if (!isKey) throw new NotPlain(); // a lone '-'
    const { at } = this;
    if (!at.atEnd && at.indent === indent && at.isItem()) return this.seq(indent);
    if (at.atEnd || at.indent <= indent) return null;
    return at.isItem() ? this.seq(at.indent) : this.map(at.indent);
  }

  /** Whether the current line sits at `indent`; false at a shallower one; deeper is not plain. */
  private sitsAt(indent: number): boolean {
    if (this.at.atEnd || this.at.indent < indent) return false;
    if (this.at.indent > indent) throw new NotPlain();
    return true;
  }
}

/** The text after `:` or `-` without a trailing ` # comment`; '' when there is none. */
function withoutComment(rest: string): string {
  const hash = rest.indexOf(' #');
  return (hash < 0 ? rest : rest.slice(0, hash)).trim();
}

/**
 * A one-line scalar: quoted without escapes, or plain by the core schema (null, boolean, decimal
 * integer or string).
 */
function scalar(text: string): unknown {
  const quoted = QUOTED.exec(text);
  if (quoted) return quoted[1] ?? quoted[2].replaceAll("''", "'");
  if (INDICATOR.test(text) || /^-(?: |$)/.test(text)) throw new NotPlain();
  if (text.includes(': ') || text.endsWith(':') || text.includes(' #')) throw new NotPlain();
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  if (INT.test(text)) return parseInt(text, 10);
  if (OTHER_NUMBER.test(text)) throw new NotPlain();
  return text;
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
