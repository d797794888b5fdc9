import { assertWellFormedText, illFormedTextIn } from '../../../src/domain/well-formed-text.js';

describe('illFormedTextIn: the first string that is not well-formed Unicode', () => {
  it('finds lone surrogates at any depth, with their path', () => {
    expect(illFormedTextIn('q\ud800')).toEqual([]);
    expect(illFormedTextIn({ input: { participants: [{ userId: 'a' }, { userId: '\udc00b' }] } })).toEqual([
      'input',
      'participants',
      1,
      'userId',
    ]);
    expect(illFormedTextIn(['ok', ['fine', 'x\ud83d']], ['groups'])).toEqual(['groups', 1, 1]);
  });

  it('passes well-formed text, surrogate pairs included, and values that are not strings', () => {
    expect(
      illFormedTextIn({ name: 'Ada 😀', n: 1, on: true, none: null, at: new Date(0), list: ['\ufffd'] }),
    ).toBeNull();
  });

  it('walks a body nested deeper than the stack without overflowing', () => {
    let deep: unknown = 'x\ud800';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(illFormedTextIn(deep)?.length).toBe(100_000);
  });

  it('throws BAD_USER_INPUT with the field and reason ILL_FORMED_TEXT', () => {
    expect(() => assertWellFormedText({ alias: 'a\ud800' })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'ILL_FORMED_TEXT', field: ['alias'] }),
    );
  });
});
