/**
 * Every close code of the graphql-transport-ws protocol the gateway sends, each provoked against
 * the real gateway by what a client really sends (raw `ws` frames, or the graphql-ws client):
 * 4400 a message that is not one, 4401 a subscribe before connection_init, 4403 a socket that names
 * no caller, 4406 no subprotocol, 4408 no connection_init in time, 4409 a subscription id in use,
 * 4429 a second connection_init, 4500 a failure while handling a message.
 */
import { CreateTeleconsultationDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { liveClient } from '../../support/live-client.js';
import { openAcknowledged, openAdmitted, openRaw, type RawSocket } from './raw-socket.js';

const PATIENT = { miauserid: 'pat-1', miausergroups: 'customer' };
const INIT_TIMEOUT_MS = 300;

const SUBSCRIPTION = `subscription Live($id: ID!) { teleconsultationChanged(id: $id) { id status } }`;

async function schedule(gateway: TestGateway): Promise<string> {
  const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
    input: {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [doctor('doc-1'), patient('pat-1')],
    },
  });
  return createTeleconsultation.id;
}

describe('graphql-transport-ws close codes', () => {
  let gateway: TestGateway;
  const sockets: RawSocket[] = [];
  const track = (raw: RawSocket) => {
    sockets.push(raw);
    return raw;
  };

  beforeAll(async () => {
    gateway = await startTestGateway({ env: { SUBSCRIPTION_INIT_TIMEOUT_MS: String(INIT_TIMEOUT_MS) } });
  });
  afterEach(() => {
    for (const raw of sockets.splice(0)) raw.socket.terminate();
  });
  afterAll(async () => gateway?.close());

  it('4400: a frame that is not a protocol message (not JSON, no type, an unknown type, a subscribe without id)', async () => {
    const cases: Array<{ before: 'none' | 'init'; frame: string }> = [
      { before: 'none', frame: '{nope' },
      { before: 'none', frame: JSON.stringify({ payload: {} }) },
      { before: 'none', frame: JSON.stringify({ type: 'start' }) },
      { before: 'none', frame: JSON.stringify({ type: 'connection_init', payload: 'x' }) },
      { before: 'init', frame: JSON.stringify({ type: 'subscribe', payload: { query: SUBSCRIPTION } }) },
    ];
    for (const { before, frame } of cases) {
      const raw = track(
        before === 'init'
          ? await openAcknowledged(gateway.url, { headers: PATIENT })
          : await openAdmitted(gateway.url, { headers: PATIENT }),
      );
      raw.send(frame);
      expect({ frame, ...(await raw.closed) }).toEqual({
        frame,
        code: 4400,
        reason: 'Invalid message received',
      });
    }
  });

  it('4401: a subscribe before connection_init', async () => {
    const raw = track(await openAdmitted(gateway.url, { headers: PATIENT }));
    raw.send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { id: 'x' } } });
    expect(await raw.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('4403: a connection_init on a socket that names no caller', async () => {
    const raw = track(await openAdmitted(gateway.url));
    raw.send({ type: 'connection_init', payload: {} });
    expect(await raw.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    expect(raw.received).toEqual([]);

    // The graphql-ws client sees the same refusal as its subscription's error.
    const client = liveClient(gateway.url);
    try {
      const outcome = await client.subscribe(SUBSCRIPTION, { id: 'x' }).ended;
      expect(outcome.error).toMatchObject({ code: 4403, reason: 'Forbidden' });
    } finally {
      await client.dispose();
    }
  });

  it('4406: an upgrade that offers no graphql-transport-ws subprotocol', async () => {
    const raw = track(await openAdmitted(gateway.url, { protocols: [], headers: PATIENT }));
    expect(await raw.closed).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
  });

  it('4408: no connection_init within SUBSCRIPTION_INIT_TIMEOUT_MS', async () => {
    const raw = track(await openAdmitted(gateway.url, { headers: PATIENT }));
    const openedAt = Date.now();
    expect(await raw.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(INIT_TIMEOUT_MS - 20);
  });

  it('4409: a subscribe whose id names a subscription still running', async () => {
    const id = await schedule(gateway);
    const raw = track(await openAcknowledged(gateway.url, { headers: PATIENT }));
    const subscribe = { id: 'same', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { id } } };
    raw.send(subscribe);
    expect(await raw.next('next')).toMatchObject({
      id: 'same',
      payload: { data: { teleconsultationChanged: { id } } },
    });
    raw.send(subscribe);
    expect(await raw.closed).toEqual({ code: 4409, reason: 'Subscriber for same already exists' });
  });

  it('4429: a second connection_init', async () => {
    const raw = track(await openAcknowledged(gateway.url, { headers: PATIENT }));
    raw.send({ type: 'connection_init' });
    expect(await raw.closed).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('4500: a message the server fails to handle (a message type only a server may send), the cause logged and not told', async () => {
    for (const message of [
      { type: 'connection_ack' },
      { id: '1', type: 'next', payload: { data: null } },
      { id: '1', type: 'error', payload: [{ message: 'from the client' }] },
    ]) {
      const raw = track(await openAcknowledged(gateway.url, { headers: PATIENT }));
      raw.send(message);
      expect({ type: message.type, ...(await raw.closed) }).toEqual({
        type: message.type,
        code: 4500,
        reason: 'Internal server error',
      });
      expect(gateway.logs()).toContain(`Unexpected message of type ${message.type} received`);
    }
  });

  it('keeps the socket open for what is the subscription’s own error (a syntax error is not a 4500)', async () => {
    const raw = track(await openAcknowledged(gateway.url, { headers: PATIENT }));
    raw.send({ id: '1', type: 'subscribe', payload: { query: 'subscription {' } });
    expect(await raw.next('error')).toMatchObject({
      id: '1',
      payload: [expect.objectContaining({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } })],
    });
    raw.send({ type: 'ping' });
    expect(await raw.next('pong')).toEqual({ type: 'pong' });
    expect(raw.open).toBe(true);
  });
});

describe('a socket must name a caller (4403 at connection_init)', () => {
  const DOCTOR_INIT = { miauserid: 'doc-1', miausergroups: 'doctor' };

  it('takes the caller from the upgrade request: a user id, groups or the back-office flag name one', async () => {
    const gateway = await startTestGateway({ env: { DEV_MODE: 'false' } });
    const sockets: RawSocket[] = [];
    try {
      const naming: Array<Record<string, string>> = [
        { miauserid: 'pat-1' },
        { miausergroups: 'customer' },
        { isbackoffice: 'true' },
        // An id whose bytes are not UTF-8 names someone, unusably: each subscribe says what is wrong.
        { miauserid: 'caf\u00e9' },
      ];
      for (const headers of naming) sockets.push(await openAcknowledged(gateway.url, { headers }));
      const nobody: Array<Record<string, string>> = [
        {},
        { isbackoffice: 'false' },
        { miausergroups: '' },
        { 'client-type': 'web' },
      ];
      for (const headers of nobody) {
        const raw = await openAdmitted(gateway.url, { headers });
        sockets.push(raw);
        raw.send({ type: 'connection_init' });
        expect({ headers, ...(await raw.closed) }).toEqual({ headers, code: 4403, reason: 'Forbidden' });
      }
    } finally {
      for (const raw of sockets) raw.socket.terminate();
      await gateway.close();
    }
  });

  it('ignores identity in the connection_init payload by default: only the upgrade request’s headers count', async () => {
    const gateway = await startTestGateway({ env: { DEV_MODE: 'false' } });
    const raw = await openAdmitted(gateway.url);
    try {
      raw.send({ type: 'connection_init', payload: DOCTOR_INIT });
      expect(await raw.closed).toEqual({ code: 4403, reason: 'Forbidden' });
      expect(raw.received).toEqual([]);
    } finally {
      raw.socket.terminate();
      await gateway.close();
    }
  });

  it('takes identity from the connection_init payload with DEV_MODE=true, when the upgrade carries none', async () => {
    const gateway = await startTestGateway({ env: { DEV_MODE: 'true' } });
    const fromPayload = await openAdmitted(gateway.url);
    // Headers of the upgrade win over the payload: a payload cannot change who the gateway says calls.
    const withHeaders = await openAdmitted(gateway.url, {
      headers: { miauserid: 'stranger', miausergroups: 'customer' },
    });
    try {
      const id = await schedule(gateway);
      fromPayload.send({ type: 'connection_init', payload: DOCTOR_INIT });
      await fromPayload.next('connection_ack');
      fromPayload.send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { id } } });
      expect(await fromPayload.next('next')).toMatchObject({
        payload: { data: { teleconsultationChanged: { id } } },
      });

      withHeaders.send({ type: 'connection_init', payload: { miauserid: 'doc-1', miausergroups: 'doctor' } });
      await withHeaders.next('connection_ack');
      withHeaders.send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { id } } });
      expect(await withHeaders.next('next')).toMatchObject({
        payload: {
          errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })],
        },
      });
    } finally {
      fromPayload.socket.terminate();
      withHeaders.socket.terminate();
      await gateway.close();
    }
  });

  it('refuses the upgrade of a page of another site before any of this (403, no socket)', async () => {
    const gateway = await startTestGateway();
    try {
      const refused = await openRaw(gateway.url, { headers: { ...PATIENT, origin: 'https://evil.example' } });
      expect(refused.status).toBe(403);
    } finally {
      await gateway.close();
    }
  });
});
