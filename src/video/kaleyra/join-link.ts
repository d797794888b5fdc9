/**
 * Shapes a participant's join link with Kaleyra's documented query parameters. The values come
 * from fixed lists (LINK_LANGUAGES, blur/image), so appending them needs no encoding; a link that
 * already carries one of these parameters goes through URL to have it replaced. (This runs on
 * every poll of the waiting room: parsing every link with URL was 2% of the read path.)
 */
export function shapeJoinLink(
  url: string,
  options: { language?: string; virtualBackground?: 'blur' | 'image' },
): string {
  const params: Array<[string, string]> = [];
  if (options.language) params.push(['language', options.language]);
  if (options.virtualBackground) params.push(['virtual_background', options.virtualBackground]);
  if (params.length === 0) return url;
  if (/[?&](language|virtual_background)=/.test(url) || url.includes('#')) {
    const link = new URL(url);
    for (const [name, value] of params) link.searchParams.set(name, value);
    return link.toString();
  }
  const query = params.map(([name, value]) => `${name}=${value}`).join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
