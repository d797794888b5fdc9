/**
 * REQUEST_TIMEOUT_MS tells the truth: a 504 means nothing changed and nothing will; a commit under
 * way when the time is up is waited for; and the deadline covers receiving the body too.
 *
 * No outcome here hangs on a race of wall-clock margins. Where the answer must be 504, the slow
 * step (a delayed Kaleyra answer) starts after the deadline's timer and lasts at least as long, so
 * the deadline fires first whatever the machine's load. Where the answer must wait for a commit,
 * the deadline is generous for the fast part (everything before the commit), and the commit is
 * slow by construction: it lasts until the deadline has fired, which the test watches happen.
 */

import { connect } from 'node:net';
import { jest } from '@jest/globals';
import { Deadline } from '../../../src/shared/deadline.js';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import type { Storage } from '../../../src/storage/ports.js';
import { CreateTeleconsultationDocument, UpdateCompanySettingsDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition never met');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Far more than the work before a commit takes, even on a loaded machine (200 ms once was not). */
const GENEROUS_TIMEOUT_MS = 1500;

/**
 * Watches the gateway's request deadlines run out: `expire()` returns false when a commit is under
 * way (the client waits for it) and true when none is (504). `expiredDuringCommit` settles once
 * a deadline ran out on a commit under way.
 */
function watchDeadlines() {
  const outcomes: ('answered 504' | 'waited for the commit')[] = [];
  let expiredDuringCommit: () => void = () => undefined;
  const duringCommit = new Promise<void>((resolve) => {
    expiredDuringCommit = resolve;
  });
  const expire = Deadline.prototype.expire;
  const spy = jest.spyOn(Deadline.prototype, 'expire').mockImplementation(function (this: Deadline) {
    const answerNow = expire.call(this);
    outcomes.push(answerNow ? 'answered 504' : 'waited for the commit');
    if (!answerNow) expiredDuringCommit();
    return answerNow;
  });
  return {
    outcomes,
    /** Resolves once a deadline ran out during a commit; rejects if none does within 10 s. */
    expiredDuringCommit: () =>
      Promise.race([
        duringCommit,
        new Promise<never>((_resolve, reject) =>
          setTimeout(() => reject(new Error('no deadline ran out during the commit')), 10_000).unref(),
        ),
      ]),
    restore: () => spy.mockRestore(),
  };
}

const input = (tag: string) => ({
  startDate: inMinutes(60),
  durationInSeconds: 1800,
  participants: [doctor(`${tag}-doc`), patient(`${tag}-pat`)],
});

describe('a request that outlives REQUEST_TIMEOUT_MS', () => {
  let gateway: TestGateway | undefined;
  let deadlines: ReturnType<typeof watchDeadlines> | undefined;
  afterEach(async () => {
    deadlines?.restore();
    deadlines = undefined;
    await gateway?.close();
    gateway = undefined;
  });

  it('is answered 504 while Kaleyra is still creating the room, and then nothing is stored: the room is deleted', async () => {
    gateway = await startTestGateway({ env: { REQUEST_TIMEOUT_MS: '200' } });
    const gw = gateway;
    gw.sandbox.injectFault({ method: 'POST', path: '/v2/rooms', delayMs: 600 });

    const response = await gw.request(CreateTeleconsultationDocument, { input: input('dl1') });

    expect(response.status).toBe(504);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'REQUEST_TIMEOUT' });
    expect(response.errors?.[0]?.message).toMatch(/before it changed anything; it is safe to retry/);
    // The room Kaleyra finishes creating after the answer is deleted again, and no record appears.
    await until(() =>
      gw.sandbox.requests().some((r) => r.method === 'DELETE' && r.path.startsWith('/v2/rooms/')),
    );
    expect(gw.sandbox.rooms()).toEqual([]);
    expect(await gw.app.storage.teleconsultations.count()).toBe(0);
  });

  it('waits for the outcome of a commit under way when the time is up, and answers it', async () => {
    const watch = watchDeadlines();
    deadlines = watch;
    const memory = createMemoryStorage();
    // The store write lasts until the request's deadline has run out: longer than the request may.
    const slowStore: Storage = {
      ...memory,
      teleconsultations: {
        ...memory.teleconsultations,
        insert: async (data, now) => {
          await watch.expiredDuringCommit();
          return memory.teleconsultations.insert(data, now);
        },
      },
    };
    gateway = await startTestGateway({
      env: { REQUEST_TIMEOUT_MS: String(GENEROUS_TIMEOUT_MS) },
      overrides: { storage: slowStore },
    });

    const response = await gateway.request(CreateTeleconsultationDocument, { input: input('dl2') });

    expect(watch.outcomes).toEqual(['waited for the commit']);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.createTeleconsultation.status).toBe('SCHEDULED');
    expect(await memory.teleconsultations.count()).toBe(1);
  });

  it('waits for a Kaleyra change under way (company settings) instead of claiming nothing changed', async () => {
    const watch = watchDeadlines();
    deadlines = watch;
    gateway = await startTestGateway({
      // The gateway's own timeout for a Kaleyra call must not end the slow change first.
      env: {
        REQUEST_TIMEOUT_MS: String(GENEROUS_TIMEOUT_MS),
        KALEYRA_TIMEOUT_MS: String(4 * GENEROUS_TIMEOUT_MS),
      },
    });
    const gw = gateway;
    // Kaleyra's answer is delayed as long as the whole request may take, from after the request's
    // deadline started: the deadline runs out first, while the change is under way.
    const slowPatch = { method: 'PATCH', path: '/v2/company', delayMs: GENEROUS_TIMEOUT_MS };
    gw.sandbox.injectFault(slowPatch);
    const settings = await gw.request(UpdateCompanySettingsDocument, { input: { defaultLanguage: 'de' } });
    expect(watch.outcomes).toEqual(['waited for the commit']);
    expect(settings.status).toBe(200);
    expect(settings.errors).toBeUndefined();
    expect(settings.data?.updateCompanySettings.defaultLanguage).toBe('de');

    gw.sandbox.injectFault(slowPatch);
    const rest = await gw.rest('PATCH', '/settings/update', { body: { default_language: 'fr' } });
    expect(watch.outcomes).toEqual(['waited for the commit', 'waited for the commit']);
    expect(rest.status).toBe(200);
    expect(rest.json).toMatchObject({ company: { default_language: 'fr' } });
  });

  it('bounds receiving the body as well: a body sent a byte at a time gets 408 and the connection closes', async () => {
    gateway = await startTestGateway({ env: { REQUEST_TIMEOUT_MS: '600' } });
    const url = new URL(gateway.url);
    const started = Date.now();
    const outcome = await new Promise<{ status: string; afterMs: number }>((resolve) => {
      let answer = '';
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          'POST /graphql HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n',
        );
      });
      const drip = setInterval(() => {
        if (!socket.destroyed) socket.write('{');
      }, 100);
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(drip);
        resolve({ status: answer.split('\r\n')[0] ?? '', afterMs: Date.now() - started });
      });
    });
    expect(outcome.status).toBe('HTTP/1.1 408 Request Timeout');
    // The deadline and one checking interval (REQUEST_TIMEOUT_MS / 4), with room for a busy machine.
    expect(outcome.afterMs).toBeLessThan(2000);
  });

  it('answers a slow upload once: the 504 closes the connection, no stray 408 follows on it', async () => {
    gateway = await startTestGateway({ env: { REQUEST_TIMEOUT_MS: '600' } });
    const url = new URL(gateway.url);
    const answer = await new Promise<string>((resolve) => {
      let received = '';
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          'POST /settings/background-image HTTP/1.1\r\nHost: x\r\nisbackoffice: true\r\n' +
            'content-type: multipart/form-data; boundary=XX\r\ncontent-length: 100000\r\n\r\n' +
            '--XX\r\ncontent-disposition: form-data; name="virtual_background"; filename="a.png"\r\n\r\n',
        );
      });
      const drip = setInterval(() => {
        if (!socket.destroyed) socket.write('x');
      }, 50);
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(drip);
        resolve(received);
      });
    });
    // One answer, then the connection closes (the promise resolved on 'close'). Which deadline
    // speaks first is a race of two equal timers: the operation's (504, which announces the
    // close) or Node's for receiving the request (408).
    const statusLines = answer.split('\r\n').filter((line) => line.startsWith('HTTP/1.1 '));
    expect(statusLines).toHaveLength(1);
    expect(statusLines[0]).toMatch(/^HTTP\/1\.1 (504 Gateway Timeout|408 Request Timeout)$/);
    if (statusLines[0]?.includes('504')) expect(answer.toLowerCase()).toContain('connection: close');
  });
});
