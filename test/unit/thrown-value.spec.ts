import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import {
  MAX_DESCRIPTION,
  MAX_STACK,
  describeThrown,
  stackOf,
} from '../../lib/utils/thrown-value.js';

const throwingGetter = <T extends object>(target: T, key: string): T =>
  Object.defineProperty(target, key, {
    get: () => {
      throw new Error(`${key} getter threw`);
    },
  });
const revokedProxy = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

describe('describeThrown', () => {
  it.each<[string, unknown, string]>([
    ['an Error: its message', new TypeError('bad input'), 'bad input'],
    ['an Error of another realm', runInNewContext('new Error("from a vm")'), 'from a vm'],
    ['a string', 'plain text', 'plain text'],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a symbol', Symbol('sym'), 'Symbol(sym)'],
    ['an object with its own toString', { toString: () => 'custom text' }, 'custom text'],
    ['a plain object', { code: 7, detail: 'x' }, "{ code: 7, detail: 'x' }"],
    ['an object without prototype', Object.create(null), '[Object: null prototype] {}'],
    [
      'an object whose toString throws',
      {
        toString: () => {
          throw new Error('no');
        },
      },
      '{ toString: [Function: toString] }',
    ],
    [
      'an Error whose message getter throws',
      throwingGetter(new RangeError('x'), 'message'),
      'RangeError (its message cannot be read)',
    ],
    ['a revoked proxy', revokedProxy(), '<Revoked Proxy>'],
  ])('%s', (_, value, expected) => {
    expect(describeThrown(value)).toBe(expected);
  });

  it("does not run the value's own inspector or getters", () => {
    let ran = false;
    const value = {
      [Symbol.for('nodejs.util.inspect.custom')]: () => (ran = true),
      get lazy() {
        return (ran = true);
      },
    };
    describeThrown(value);
    expect(ran).toBe(false);
  });

  it('never throws: a proxy whose every trap throws', () => {
    const trap = () => {
      throw new Error('trap');
    };
    const hostile = new Proxy(
      {},
      { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap },
    );
    expect(typeof describeThrown(hostile)).toBe('string');
  });

  it('is bounded: a long message is clipped and says how much was left out', () => {
    const text = describeThrown(new Error('x'.repeat(50_000)));
    expect(text.length).toBeLessThan(MAX_DESCRIPTION + 40);
    expect(text).toMatch(/… \(49000 more characters\)$/);
  });
});

describe('stackOf', () => {
  it("is an Error's stack, clipped; undefined for anything else or if the getter throws", () => {
    expect(stackOf(new Error('boom'))).toMatch(/^Error: boom\n\s+at /);
    expect(stackOf({ stack: 'not an error' })).toBeUndefined();
    expect(stackOf(throwingGetter(new Error('x'), 'stack'))).toBeUndefined();
    expect(stackOf(revokedProxy())).toBeUndefined();
    const deep = new Error('deep');
    deep.stack = 'y'.repeat(100_000);
    expect(stackOf(deep)!.length).toBeLessThan(MAX_STACK + 40);
  });
});
