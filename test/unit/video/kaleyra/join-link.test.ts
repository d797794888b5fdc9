import { shapeJoinLink } from '../../../../src/video/kaleyra/join-link.js';

describe('shapeJoinLink', () => {
  const link = 'https://sandbox.video.kaleyra.local/connect/direct-rest-call-handler/abc';
  it('adds language and virtual_background as query parameters', () => {
    const shaped = new URL(shapeJoinLink(link, { language: 'it', virtualBackground: 'blur' }));
    expect(shaped.searchParams.get('language')).toBe('it');
    expect(shaped.searchParams.get('virtual_background')).toBe('blur');
    expect(`${shaped.origin}${shaped.pathname}`).toBe(link);
  });
  it('leaves the link untouched without options', () => {
    expect(shapeJoinLink(link, {})).toBe(link);
  });
  it('replaces rather than duplicates an existing parameter', () => {
    const shaped = new URL(shapeJoinLink(`${link}?language=en`, { language: 'fr' }));
    expect(shaped.searchParams.getAll('language')).toEqual(['fr']);
  });
  it("keeps the link's own query parameters and adds to them", () => {
    const shaped = new URL(shapeJoinLink(`${link}?token=t1`, { language: 'de' }));
    expect(shaped.searchParams.get('token')).toBe('t1');
    expect(shaped.searchParams.get('language')).toBe('de');
  });
  it('puts the parameters before a fragment, not inside it', () => {
    const shaped = new URL(shapeJoinLink(`${link}#start`, { virtualBackground: 'image' }));
    expect(shaped.searchParams.get('virtual_background')).toBe('image');
    expect(shaped.hash).toBe('#start');
  });
});
