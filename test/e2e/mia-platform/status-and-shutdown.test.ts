/**
 * Mia-Platform's status routes answered as lc39's are, and what SIGTERM does: not ready at once,
 * serving for WAIT_BEFORE_SERVER_CLOSE_SEC, then closing (the wait timed by a manual clock).
 */

import { ManualClock } from '../../../src/domain/clock.js';
import { ServiceConfigDocument } from '../../generated/graphql.js';
import { startTestGateway, T0, type TestGateway } from '../../support/gateway.js';
import { ManualTimers } from '../../support/manual-timers.js';
import { lc39StatusValidators } from '../../support/mia-platform.js';
import { createSwitchableStorage } from '../hardening/failing-storage.js';

const PACKAGE = { name: 'teleconsultation-gateway', version: expect.stringMatching(/^\d+\.\d+\.\d+/) };

async function status(gateway: TestGateway, path: string): Promise<{ code: number; body: unknown }> {
  const response = await fetch(`${gateway.url}${path}`);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return { code: response.status, body: await response.json() };
}

describe('status routes', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('answer { status, name, version } with 200 or 503, valid for lc39', async () => {
    const storage = createSwitchableStorage();
    gateway = await startTestGateway({ overrides: { storage } });
    const validators = lc39StatusValidators();
    const check = ({ code, body }: { code: number; body: unknown }) => {
      const validate = validators[code as 200 | 503];
      expect(validate(body)).toBe(true);
      return body;
    };

    for (const path of ['/-/healthz', '/-/ready', '/-/check-up']) {
      const answer = await status(gateway, path);
      expect(answer.code).toBe(200);
      expect(check(answer)).toMatchObject({ status: 'OK', ...PACKAGE });
    }

    storage.unreachable = true;
    for (const path of ['/-/ready', '/-/check-up']) {
      const answer = await status(gateway, path);
      expect(answer.code).toBe(503);
      expect(check(answer)).toMatchObject({ status: 'KO', ...PACKAGE, dependencies: { store: 'KO' } });
    }
    expect((await status(gateway, '/-/healthz')).code).toBe(200);
  });

  it("lc39's status schema refuses what it should (so the check above means something)", () => {
    const validators = lc39StatusValidators();
    expect(validators[200]({ status: 'DEGRADED', name: 'x', version: '1.0.0' })).toBe(false);
    expect(validators[200]({ status: 'OK', name: 'x' })).toBe(false);
    expect(validators[503]({ status: 'OK', name: 'x', version: '1.0.0' })).toBe(false);
  });
});

describe('SIGTERM (App.terminate)', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  async function startWithWait(seconds: string): Promise<{ gateway: TestGateway; timers: ManualTimers }> {
    const clock = new ManualClock(T0);
    const timers = new ManualTimers(clock);
    const gateway = await startTestGateway({
      env: { WAIT_BEFORE_SERVER_CLOSE_SEC: seconds },
      clock,
      overrides: { shutdownTimers: timers },
    });
    return { gateway, timers };
  }

  it('answers /-/ready 503 at once, serves for WAIT_BEFORE_SERVER_CLOSE_SEC, then closes', async () => {
    const started = await startWithWait('10');
    gateway = started.gateway;
    const { timers } = started;

    let closed = false;
    const terminated = gateway.app.terminate().then(() => {
      closed = true;
    });

    const ready = await status(gateway, '/-/ready');
    expect(ready.code).toBe(503);
    expect(lc39StatusValidators()[503](ready.body)).toBe(true);
    expect(ready.body).toMatchObject({ status: 'KO', message: 'stopping' });
    // Alive, and still serving: the platform's routing takes a while to notice.
    expect((await status(gateway, '/-/healthz')).code).toBe(200);
    await gateway.ok(ServiceConfigDocument);
    expect(
      (await gateway.rest('GET', '/settings', { caller: 'doctor-1', groups: 'doctor' })).status,
    ).toBeLessThan(500);

    await timers.advance(9_999);
    expect(closed).toBe(false);
    await gateway.ok(ServiceConfigDocument);

    await timers.advance(1);
    await terminated;
    expect(closed).toBe(true);
    await expect(fetch(`${gateway.url}/-/healthz`)).rejects.toThrow();
    expect(gateway.logs()).toContain('"waitMs":10000');
  });

  it('closes at once with WAIT_BEFORE_SERVER_CLOSE_SEC=0', async () => {
    const started = await startWithWait('0');
    gateway = started.gateway;
    await gateway.app.terminate();
    expect(started.timers.scheduled).toBe(0);
    await expect(fetch(`${gateway.url}/-/healthz`)).rejects.toThrow();
  });
});
