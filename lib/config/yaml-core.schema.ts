import { FAILSAFE_SCHEMA, Type } from 'js-yaml';

/**
 * YAML 1.2's core schema (spec 1.2.2, §10.3.2) for js-yaml, whose own CORE_SCHEMA also reads
 * `0b1`, `+0x1` and `-0o7` as numbers and `+.5` as a string. Plain scalars resolve as below;
 * anything else is a string (`16:00` and `None` stay text, as core-lib means them).
 */
const scalar = (tag: string, pattern: RegExp, construct: (text: string) => unknown): Type =>
  new Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    // js-yaml hands an empty plain scalar over as null.
    resolve: (text: string | null) => pattern.test(text ?? ''),
    construct: (text: string | null) => construct(text ?? ''),
  });

const NULL = scalar('null', /^(?:~|null|Null|NULL)?$/, () => null);
const BOOL = scalar('bool', /^(?:true|True|TRUE|false|False|FALSE)$/, (text) => /^t/i.test(text));
const INT = scalar('int', /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (text) =>
  text.startsWith('0o')
    ? parseInt(text.slice(2), 8)
    : text.startsWith('0x')
      ? parseInt(text.slice(2), 16)
      : parseInt(text, 10),
);
const FLOAT = scalar(
  'float',
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  (text) => {
    if (/nan$/i.test(text)) return NaN;
    if (/inf$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    return Number(text);
  },
);

/** Strings, lists and mappings, with null, booleans, integers and floats resolved as in 1.2. */
export const YAML_CORE_SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [NULL, BOOL, INT, FLOAT] });
