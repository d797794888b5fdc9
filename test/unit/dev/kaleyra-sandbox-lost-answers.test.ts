/**
 * The Kaleyra sandbox's `afterHandling` faults (what the per-provider lifecycle suite uses to lose
 * a room creation's answer, as the LiveKit sandbox's do): the request takes effect, then its
 * answer is dropped or replaced; without the flag a fault answers instead of handling.
 */
import { type KaleyraSandbox, startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';

const API_KEY = 'sandbox-lost-answers-key';

describe('Kaleyra sandbox faults after handling', () => {
  let sandbox: KaleyraSandbox;
  beforeAll(async () => {
    sandbox = await startKaleyraSandbox({ apiKey: API_KEY });
    expect((await post('/v2/users', { id: 'lost-doc', role: 'plus' })).status).toBe(201);
    expect((await post('/v2/users', { id: 'lost-pat', role: 'basic' })).status).toBe(201);
  });
  afterAll(async () => sandbox?.close());
  afterEach(() => sandbox.clearFaults());

  const post = (path: string, body: unknown) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { apikey: API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const createRoom = () =>
    post('/v2/rooms', { participants: [{ user_id: 'lost-doc' }, { user_id: 'lost-pat' }] });

  it('drops the answer of a creation that took effect', async () => {
    const before = sandbox.rooms().length;
    sandbox.injectFault({ method: 'POST', path: '/v2/rooms', afterHandling: true, drop: true });
    await expect(createRoom()).rejects.toThrow();
    expect(sandbox.rooms()).toHaveLength(before + 1);
  });

  it('replaces the answer of a creation that took effect with the injected status', async () => {
    const before = sandbox.rooms().length;
    sandbox.injectFault({ method: 'POST', path: '/v2/rooms', afterHandling: true, status: 503 });
    expect((await createRoom()).status).toBe(503);
    expect(sandbox.rooms()).toHaveLength(before + 1);
  });

  it('without afterHandling, answers instead of handling', async () => {
    const before = sandbox.rooms().length;
    sandbox.injectFault({ method: 'POST', path: '/v2/rooms', status: 503 });
    expect((await createRoom()).status).toBe(503);
    expect(sandbox.rooms()).toHaveLength(before);
    expect((await createRoom()).status).toBe(201);
    expect(sandbox.rooms()).toHaveLength(before + 1);
  });
});
