import { describe, expect, it } from '@jest/globals';
import { URLResolver } from 'graphql-scalars';
import { memoizedSerialize, URLScalar } from '../../../src/graphql/types/url.scalar.js';

describe('the URL scalar', () => {
  it("is graphql-scalars' URL for the schema: name, description, specifiedByURL, input parsing", () => {
    expect(URLScalar.name).toBe(URLResolver.name);
    expect(URLScalar.description).toBe(URLResolver.description);
    expect(URLScalar.specifiedByURL).toBe(URLResolver.specifiedByURL);
    expect(URLScalar.parseValue('https://example.com/x')).toEqual(
      URLResolver.parseValue('https://example.com/x'),
    );
  });

  it('answers what graphql-scalars answers, the first time and every time after', () => {
    for (const value of [
      'HTTPS://Example.COM',
      'https://join.example/r/abc?t=1#x',
      'https://a.example:443/./b/../c',
    ]) {
      const expected = URLResolver.serialize(value);
      expect(URLScalar.serialize(value)).toBe(expected);
      expect(URLScalar.serialize(value)).toBe(expected);
    }
    expect(URLScalar.serialize('HTTPS://Example.COM')).toBe('https://example.com/');
    const url = new URL('https://example.com/u');
    expect(URLScalar.serialize(url)).toBe('https://example.com/u');
  });

  it('refuses a value that is not a URL every time (a failure is not remembered)', () => {
    expect(() => URLScalar.serialize('not a url')).toThrow();
    expect(() => URLScalar.serialize('not a url')).toThrow();
  });
});

describe('memoizedSerialize', () => {
  const counting = () => {
    const calls: unknown[] = [];
    const serialize = memoizedSerialize((value) => {
      calls.push(value);
      return `serialized:${String(value)}`;
    });
    return { calls, serialize };
  };

  it('serializes a string once, then answers from memory', () => {
    const { calls, serialize } = counting();
    expect(serialize('a')).toBe('serialized:a');
    expect(serialize('a')).toBe('serialized:a');
    expect(serialize('b')).toBe('serialized:b');
    expect(calls).toEqual(['a', 'b']);
  });

  it('never remembers values that are not strings', () => {
    const { calls, serialize } = counting();
    const value = { toString: () => 'x' };
    serialize(value);
    serialize(value);
    expect(calls).toHaveLength(2);
  });

  it('holds a bounded number of strings: past the bound it starts over', () => {
    const { calls, serialize } = counting();
    for (let n = 0; n < 1024; n++) serialize(`v${n}`);
    serialize('v0');
    expect(calls).toHaveLength(1024);
    serialize('one more'); // the 1,025th distinct value: the memory starts over
    serialize('v0');
    expect(calls).toHaveLength(1026);
  });
});
