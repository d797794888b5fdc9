/**
 * REQUEST_TIMEOUT_MS tells the truth: a 504 means nothing changed and nothing will; a commit under
 * way when the time is up is waited for; and the deadline covers receiving the body too.
 */

import { connect } from 'node:net';
import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import type { Storage } from '../../../src/storage/ports.js';
import { CreateTeleconsultationDocument, UpdateCompanySettingsDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition never met');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const input = (tag: string) => ({
  startDate: inMinutes(60),
  durationInSeconds: 1800,
  participants: [doctor(`${tag}-doc`), patient(`${tag}-pat`)],
});

describe('a request that outlives REQUEST_TIMEOUT_MS', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
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
    const memory = createMemoryStorage();
    // The store write takes longer than the whole request may.
    const slowStore: Storage = {
      ...memory,
      teleconsultations: {
        ...memory.teleconsultations,
        insert: async (data, now) => {
          await new Promise((resolve) => setTimeout(resolve, 500));
          return memory.teleconsultations.insert(data, now);
        },
      },
    };
    gateway = await startTestGateway({
      env: { REQUEST_TIMEOUT_MS: '200' },
      overrides: { storage: slowStore },
    });

    const response = await gateway.request(CreateTeleconsultationDocument, { input: input('dl2') });

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.createTeleconsultation.status).toBe('SCHEDULED');
    expect(await memory.teleconsultations.count()).toBe(1);
  });

  it('waits for a Kaleyra change under way (company settings) instead of claiming nothing changed', async () => {
    gateway = await startTestGateway({ env: { REQUEST_TIMEOUT_MS: '200' } });
    const gw = gateway;
    gw.sandbox.injectFault({ method: 'PATCH', path: '/v2/company', delayMs: 600 });
    const settings = await gw.request(UpdateCompanySettingsDocument, { input: { defaultLanguage: 'de' } });
    expect(settings.status).toBe(200);
    expect(settings.errors).toBeUndefined();
    expect(settings.data?.updateCompanySettings.defaultLanguage).toBe('de');

    gw.sandbox.injectFault({ method: 'PATCH', path: '/v2/company', delayMs: 600 });
    const rest = await gw.rest('PATCH', '/settings/update', { body: { default_language: 'fr' } });
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
