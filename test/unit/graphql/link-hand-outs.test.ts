/**
 * LinkHandOuts: a link offered at a path is handed out only when the complete answer still holds
 * it there; each visit once however often it is answered; offers do not outlive their answer.
 */
import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { LinkHandOuts } from '../../../src/graphql/link-hand-outs.js';

const LINK_A = 'https://sandbox.example/rooms/a?t=1';
const LINK_B = 'https://sandbox.example/rooms/b?t=2';

function recorder() {
  const recorded: string[] = [];
  return { recorded, record: (key: string) => async () => void recorded.push(key) };
}

describe('link hand-outs', () => {
  it('hands out a link still at its path in the answer, through aliases and list indexes', async () => {
    const handOuts = new LinkHandOuts();
    const { recorded, record } = recorder();
    handOuts.offer(['agenda', 'edges', 0, 'node', 'link'], LINK_A, 'visit-a', record('visit-a'));
    handOuts.offer(['agenda', 'edges', 1, 'node', 'link'], LINK_B, 'visit-b', record('visit-b'));
    const data = { agenda: { edges: [{ node: { link: LINK_A } }, { node: { link: LINK_B } }] } };
    await handOuts.take(data, pino({ level: 'silent' }))();
    expect(recorded).toEqual(['visit-a', 'visit-b']);
  });

  it('hands out nothing that the answer lost: a parent nulled, a missing answer, another link there', async () => {
    const handOuts = new LinkHandOuts();
    const { recorded, record } = recorder();
    handOuts.offer(['visit', 'accessLinkURL'], LINK_A, 'visit-a', record('visit-a'));
    await handOuts.take({ visit: null }, pino({ level: 'silent' }))();
    handOuts.offer(['visit', 'accessLinkURL'], LINK_A, 'visit-a', record('visit-a'));
    await handOuts.take(undefined, pino({ level: 'silent' }))();
    handOuts.offer(['visit', 'accessLinkURL'], LINK_A, 'visit-a', record('visit-a'));
    await handOuts.take({ visit: { accessLinkURL: LINK_B } }, pino({ level: 'silent' }))();
    expect(recorded).toEqual([]);
  });

  it('records a visit answered twice once, and forgets the offers once taken', async () => {
    const handOuts = new LinkHandOuts();
    const { recorded, record } = recorder();
    handOuts.offer(['a', 'accessLinkURL'], LINK_A, 'visit-a', record('visit-a'));
    handOuts.offer(['b', 'link'], LINK_A, 'visit-a', record('visit-a'));
    const data = { a: { accessLinkURL: LINK_A }, b: { link: LINK_A } };
    await handOuts.take(data, pino({ level: 'silent' }))();
    expect(recorded).toEqual(['visit-a']);
    // The next answer (the next push of a subscription) starts from no offer.
    await handOuts.take(data, pino({ level: 'silent' }))();
    expect(recorded).toEqual(['visit-a']);
  });

  it('logs a recording that fails and goes on with the others', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const handOuts = new LinkHandOuts();
    const { recorded, record } = recorder();
    handOuts.offer(['a'], LINK_A, 'visit-a', async () => {
      throw new Error('store down');
    });
    handOuts.offer(['b'], LINK_B, 'visit-b', record('visit-b'));
    await expect(handOuts.take({ a: LINK_A, b: LINK_B }, logger)()).resolves.toBeUndefined();
    expect(recorded).toEqual(['visit-b']);
    expect(lines.join('')).toContain('link handed out not recorded');
  });
});
