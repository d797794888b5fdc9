/**
 * The original service's REST API, replayed against the real server over HTTP: every example of
 * its specification (docs/specs/original-rest-api.md), with its status codes and body shapes byte
 * for byte where the specification gives them.
 */
import { readFile } from 'node:fs/promises';
import {
  doctor,
  inMinutes,
  patient,
  type RestResponse,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';

/** The spec's POST example, at our test clock's dates. */
function specExample() {
  return {
    participants: {
      number: 3,
      data: [
        { userId: 'user1_external_id', groups: ['doctor'], fullName: 'Joe Smith', language: 'it' },
        { userId: 'user3_external_id', groups: ['patient'], fullName: 'Jane Doe', language: 'it' },
      ],
    },
    start_date: inMinutes(60),
    end_date: inMinutes(120),
  };
}

const SERVICE_CONFIG = {
  privileges: { basic: { groups: ['patient', 'customer'] }, plus: { groups: ['doctor'] } },
  environment: 'sandbox',
};

function roomIdOf(response: RestResponse): string {
  return (response.json as { roomId: string }).roomId;
}

async function scheduled(gateway: TestGateway, tag: string): Promise<string> {
  const created = await gateway.rest('POST', '/teleconsultation', {
    body: {
      participants: { number: 2, data: [doctor(`${tag}-doc`), patient(`${tag}-pat`)] },
      start_date: inMinutes(60),
      duration_in_seconds: 1800,
    },
  });
  expect(created.status).toBe(201);
  return roomIdOf(created);
}

describe('the original REST API, as the spec documents it', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ serviceConfigFile: SERVICE_CONFIG });
  });
  afterAll(async () => gateway?.close());

  it('POST /teleconsultation answers 201 { roomId }: the stored record id, not the Kaleyra room', async () => {
    const response = await gateway.rest('POST', '/teleconsultation', { body: specExample() });
    expect(response.status).toBe(201);
    expect(Object.keys(response.json as object)).toEqual(['roomId']);
    const id = roomIdOf(response);
    const stored = await gateway.app.storage.teleconsultations.findById(id);
    expect(stored?.participantsNumber).toBe(3);
    expect(stored?.roomId).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('POST /teleconsultation/:id/participants/data answers 201 with an empty body; the last one has the room made', async () => {
    const id = roomIdOf(await gateway.rest('POST', '/teleconsultation', { body: specExample() }));
    const added = await gateway.rest('POST', `/teleconsultation/${id}/participants/data`, {
      // `group`, a single string, as the 1.x sequence diagram sends it.
      body: { userId: 'user2_external_id', group: 'patient', fullName: 'Mario Rossi' },
    });
    expect(added.status).toBe(201);
    expect(added.text).toBe('');
    expect((await gateway.app.storage.teleconsultations.findById(id))?.roomId).toEqual(expect.any(String));
  });

  it('GET /teleconsultation/:id answers the documented body: the caller, their link, every participant, the live room', async () => {
    const id = await scheduled(gateway, 'g1');
    const response = await gateway.rest('GET', `/teleconsultation/${id}`, { caller: 'g1-pat' });
    expect(response.status).toBe(200);
    const body = response.json as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'bandyerUserId',
      'accessLinkURL',
      'participantsBandyerCall',
      'details',
    ]);
    expect(body.bandyerUserId).toBe('tg.g1-pat');
    expect(body.accessLinkURL).toBeNull();
    expect(body.participantsBandyerCall).toEqual([
      { bandyerUserId: 'tg.g1-doc', fullName: 'Doctor g1-doc' },
      { bandyerUserId: 'tg.g1-pat', fullName: 'Patient g1-pat' },
    ]);
    expect(Object.keys(body.details as object).sort()).toEqual(
      [
        'recording',
        'recordingStatus',
        'callType',
        'description',
        'status',
        'disabled',
        'creationDate',
        'durationInSeconds',
        'durationUsedInSeconds',
        'live',
      ].sort(),
    );
    expect(body.details).toMatchObject({ recording: 'none', callType: 'audio_video', live: true });
  });

  it('GET answers 404 "Room with id <id> not found on CRUD" to whom may know, 401 "Unauthorized user" to a non-participant', async () => {
    const id = await scheduled(gateway, 'g2');
    const stranger = await gateway.rest('GET', `/teleconsultation/${id}`, { caller: 'stranger' });
    expect(stranger.status).toBe(401);
    expect(stranger.json).toEqual({ error: 'Unauthorized user', code: 'FORBIDDEN', reason: 'POLICY_DENIED' });
    const anonymous = await gateway.rest('GET', `/teleconsultation/${id}`, { anonymous: true });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toMatchObject({ error: 'Unauthorized user', code: 'UNAUTHENTICATED' });
    // The back office may cancel any visit, so it may learn that an id is unknown.
    const unknown = await gateway.rest('DELETE', '/teleconsultation/aaaaaaaaaaaaaaaaaaaaaaaa');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      error: 'Room with id aaaaaaaaaaaaaaaaaaaaaaaa not found on CRUD',
      code: 'NOT_FOUND',
      reason: 'TELECONSULTATION_NOT_FOUND',
    });
  });

  it('PATCH /teleconsultation/:id answers 204 with an empty body, and 409 inside the immutable period', async () => {
    const id = await scheduled(gateway, 'p1');
    const patched = await gateway.rest('PATCH', `/teleconsultation/${id}`, {
      body: { duration_in_seconds: 2400 },
    });
    expect(patched.status).toBe(204);
    expect(patched.text).toBe('');
    expect((await gateway.app.storage.teleconsultations.findById(id))?.durationInSeconds).toBe(2400);

    gateway.clock.set(Date.parse(inMinutes(60)));
    try {
      const locked = await gateway.rest('PATCH', `/teleconsultation/${id}`, {
        body: { duration_in_seconds: 3000 },
      });
      expect(locked.status).toBe(409);
      expect(locked.json).toMatchObject({ code: 'TELECONSULTATION_LOCKED', reason: 'IMMUTABLE_PERIOD' });
    } finally {
      gateway.clock.set(Date.parse(inMinutes(0)));
    }
  });

  it.each([
    ['POST /teleconsultation', 'POST', () => '/teleconsultation'],
    ['PATCH /teleconsultation', 'PATCH', (id: string) => `/teleconsultation/${id}`],
  ])('answers 400 "Failed %s: no plus user in room"', async (line, method, path) => {
    const id = await scheduled(gateway, `np-${method}`);
    const body = {
      participants: { number: 2, data: [patient(`np-${method}-1`), patient(`np-${method}-2`)] },
      start_date: inMinutes(60),
      duration_in_seconds: 1800,
    };
    const response = await gateway.rest(method, path(id), { body });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: `Failed ${line}: no plus user in room`,
      code: 'BAD_USER_INPUT',
      reason: 'NO_PLUS_PARTICIPANT',
      field: ['participants'],
    });
  });

  it('answers 400 "Failed POST /teleconsultation/<id>/participants/data: no plus user in room" when the last one arrives', async () => {
    const waiting = await gateway.rest('POST', '/teleconsultation', {
      body: {
        participants: { number: 2, data: [patient('npd-1')] },
        start_date: inMinutes(60),
        duration_in_seconds: 1800,
      },
    });
    const id = roomIdOf(waiting);
    const response = await gateway.rest('POST', `/teleconsultation/${id}/participants/data`, {
      body: patient('npd-2'),
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      error: `Failed POST /teleconsultation/${id}/participants/data: no plus user in room`,
      code: 'BAD_USER_INPUT',
    });
  });

  it('DELETE /teleconsultation/:id answers 204 with an empty body and cancels', async () => {
    const id = await scheduled(gateway, 'd1');
    const deleted = await gateway.rest('DELETE', `/teleconsultation/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await gateway.app.storage.teleconsultations.findById(id))?.state).toBe('trashed');
    // As with the original (its CRUD hid trashed records), a participant's GET is then a 404: a
    // polling frontend stops instead of waiting for a link forever. Others still get 401.
    const read = await gateway.rest('GET', `/teleconsultation/${id}`, { caller: 'd1-pat' });
    expect(read.status).toBe(404);
    expect(read.json).toEqual({
      error: `Room with id ${id} not found on CRUD`,
      code: 'NOT_FOUND',
      reason: 'TELECONSULTATION_NOT_FOUND',
    });
    expect((await gateway.rest('GET', `/teleconsultation/${id}`, { caller: 'stranger' })).status).toBe(401);
    // The calendar entry still says it is cancelled.
    const calendar = await gateway.rest('GET', `/teleconsultation/${id}/calendar.ics`, { caller: 'd1-pat' });
    expect(calendar.status).toBe(200);
    expect(calendar.text).toMatch(/METHOD:CANCEL/);
  });

  it('DELETE /teleconsultation/:id/uploads answers 204 while uploads deletion is off', async () => {
    const id = await scheduled(gateway, 'u1');
    const response = await gateway.rest('DELETE', `/teleconsultation/${id}/uploads`, { caller: 'u1-pat' });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
  });

  it('POST /credentials answers 201 { accessToken, expiresAt, bandyerUserId }, expiresIn defaulting to 3600', async () => {
    await scheduled(gateway, 'c1');
    const response = await gateway.rest('POST', '/credentials', { caller: 'c1-doc' });
    expect(response.status).toBe(201);
    const body = response.json as { accessToken: string; expiresAt: string; bandyerUserId: string };
    expect(Object.keys(body)).toEqual(['accessToken', 'expiresAt', 'bandyerUserId']);
    expect(body.bandyerUserId).toBe('tg.c1-doc');
    // Kaleyra (the sandbox, on the gateway's clock) sets the expiry from the lifetime we send.
    const lifetime = (expiresAt: string) =>
      Math.round((Date.parse(expiresAt) - gateway.clock.now().getTime()) / 60_000);
    expect(lifetime(body.expiresAt)).toBe(60);
    const sent = await gateway.rest('POST', '/credentials', { caller: 'c1-doc', body: { expiresIn: 600 } });
    expect(lifetime((sent.json as { expiresAt: string }).expiresAt)).toBe(10);
    const anonymous = await gateway.rest('POST', '/credentials', { anonymous: true });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toMatchObject({ error: 'Unauthorized user' });
  });

  it('serves its OpenAPI document at /openapi.json, the committed schema/openapi.json', async () => {
    const served = await gateway.rest('GET', '/openapi.json');
    const committed = JSON.parse(
      await readFile(new URL('../../../schema/openapi.json', import.meta.url), 'utf8'),
    );
    expect(served.status).toBe(200);
    expect(served.json).toEqual(committed);
  });
});

describe('uploads deletion over REST, when TELECONSULTATION_DELETE_UPLOADS=true', () => {
  it('answers 200 { total, deleted }', async () => {
    const gateway = await startTestGateway({ env: { TELECONSULTATION_DELETE_UPLOADS: 'true' } });
    try {
      const id = await scheduled(gateway, 'u2');
      const record = await gateway.app.storage.teleconsultations.findById(id);
      gateway.sandbox.addUploads(record?.roomId as string, 2);
      const response = await gateway.rest('DELETE', `/teleconsultation/${id}/uploads`, { caller: 'u2-pat' });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ total: 2, deleted: 2 });
    } finally {
      await gateway.close();
    }
  });
});

describe('REST_API_ENABLED=false', () => {
  it('has no REST routes at all', async () => {
    const gateway = await startTestGateway({ env: { REST_API_ENABLED: 'false' } });
    try {
      expect((await gateway.rest('POST', '/teleconsultation', { body: specExample() })).status).toBe(404);
      expect((await gateway.rest('POST', '/credentials', { caller: 'x' })).status).toBe(404);
      expect((await gateway.rest('GET', '/openapi.json')).status).toBe(404);
      expect(await gateway.app.storage.teleconsultations.count()).toBe(0);
    } finally {
      await gateway.close();
    }
  });
});
