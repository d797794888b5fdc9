import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { createSwitchableStorage } from './failing-storage.js';
import { send } from './raw-http.js';

describe('/-/ready follows the store', () => {
  let gateway: TestGateway;
  afterEach(async () => gateway?.close());

  it('fails while the store is unreachable and recovers when it comes back', async () => {
    const storage = createSwitchableStorage();
    gateway = await startTestGateway({ overrides: { storage } });
    const ready = () => send(`${gateway.url}/-/ready`, { method: 'GET' });

    const before = await ready();
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: 'OK', dependencies: { store: 'OK' } });

    storage.unreachable = true;
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'KO', dependencies: { store: 'KO' } });
    // Liveness is not readiness: the process itself is fine.
    expect((await send(`${gateway.url}/-/healthz`, { method: 'GET' })).status).toBe(200);

    storage.unreachable = false;
    const back = await ready();
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'OK', dependencies: { store: 'OK' } });
  });
});
