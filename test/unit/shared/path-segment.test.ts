import { isSafePathSegment, pathSegment, UnsafePathSegmentError } from '../../../src/shared/path-segment.js';

describe('pathSegment: one value as one upstream path segment', () => {
  it.each([
    ['doc-1', 'doc-1'],
    ['a/b', 'a%2Fb'],
    ['..%2F', '..%252F'],
    ['...', '...'],
    ['.a', '.a'],
    ['%2e%2', '%252e%252'],
    ['josé', 'jos%C3%A9'],
    ['q\ufffd', 'q%EF%BF%BD'],
  ])('encodes %j as %j', (value, encoded) => {
    expect(pathSegment('id', value)).toBe(encoded);
    expect(isSafePathSegment(value)).toBe(true);
  });

  it.each([
    ['', /is empty/],
    ['.', /dot segment/],
    ['..', /dot segment/],
    ['%2e', /dot segment/],
    ['%2E%2e', /dot segment/],
    ['.%2e', /dot segment/],
    ['%252e%252E', /dot segment/],
    ['q\ud800', /well-formed/],
    ['\udc00', /well-formed/],
  ])('refuses %j, naming the parameter, before encodeURIComponent could throw', (value, reason) => {
    expect(isSafePathSegment(value)).toBe(false);
    expect(() => pathSegment('alias', value)).toThrow(UnsafePathSegmentError);
    expect(() => pathSegment('alias', value)).toThrow(reason);
    expect(() => pathSegment('alias', value)).toThrow(/^path parameter alias /);
  });
});
