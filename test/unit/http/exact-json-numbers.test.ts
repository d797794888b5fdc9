import { holdsUnsafeInteger } from '../../../src/http/exact-json-numbers.js';

describe('holdsUnsafeInteger', () => {
  it.each([
    [{ variables: { input: { participants: [{ userId: 9007199254740992 }] } } }, true],
    [[1, [2, [-9007199254740992]]], true],
    [{ a: 1e300 }, true],
    [{ a: 9007199254740991, b: -9007199254740991, c: 0.5, d: '9007199254740993' }, false],
    [null, false],
  ])('%j → %s', (value, expected) => {
    expect(holdsUnsafeInteger(value)).toBe(expected);
  });

  it('walks a body nested far deeper than the call stack allows, without recursion', () => {
    const depth = 200_000;
    const deep = JSON.parse(`${'['.repeat(depth)}9007199254740993${']'.repeat(depth)}`) as unknown;
    expect(holdsUnsafeInteger(deep)).toBe(true);
  });
});
