/**
 * The capabilities LiveKit does not offer, end to end on the real provider (VIDEO_PROVIDER=livekit
 * over the LiveKit sandbox; the port double of capabilities.test.ts stands in for none here):
 * company settings, virtual backgrounds, recording, sessions and transcriptions, uploads deletion
 * and SDK credentials are refused before any side effect (NOT_IMPLEMENTED,
 * PROVIDER_CAPABILITY_UNAVAILABLE; REST 501 with the original's `{ error }`): the LiveKit sandbox's
 * request log and rooms, the store and the Kaleyra sandbox stay as they were.
 * `serviceConfig.provider` says livekit, offering none.
 */

import {
  CompanySettingsDocument,
  CreateCredentialsDocument,
  CreateTeleconsultationDocument,
  DeleteTeleconsultationUploadsDocument,
  DeleteVirtualBackgroundDocument,
  ServiceConfigProviderDocument,
  TeleconsultationSessionsDocument,
  TranscriptionDocument,
  UpdateCompanySettingsDocument,
  UpdateTeleconsultationDocument,
  VirtualBackgroundsDocument,
} from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { PNG_1X1 } from '../../support/images.js';

const DOCTOR = { caller: 'lk-doc', groups: 'doctor' };
const REFUSED = { code: 'NOT_IMPLEMENTED', reason: 'PROVIDER_CAPABILITY_UNAVAILABLE' };

describe('LiveKit: the capabilities it lacks are refused before any side effect', () => {
  let gateway: TestGateway;
  let visitId: string;
  let roomId: string;

  const livekit = () => {
    if (!gateway.livekit) throw new Error('the gateway runs on LiveKit');
    return gateway.livekit;
  };

  beforeAll(async () => {
    gateway = await startTestGateway({
      provider: 'livekit',
      env: { TELECONSULTATION_DELETE_UPLOADS: 'true' },
    });
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('lk-doc'), patient('lk-pat')],
      },
    });
    visitId = createTeleconsultation.id;
    roomId = createTeleconsultation.roomId as string;
  });
  afterAll(async () => gateway?.close());

  /** What must not move: LiveKit's requests and rooms, Kaleyra's requests, the stored visits. */
  async function untouched(attempt: () => Promise<void>): Promise<void> {
    livekit().clearRequests();
    const rooms = livekit().rooms();
    const before = await gateway.app.storage.teleconsultations.findById(visitId);
    const count = await gateway.app.storage.teleconsultations.count();
    await attempt();
    expect(livekit().requests()).toEqual([]);
    expect(livekit().rooms()).toEqual(rooms);
    expect(gateway.sandbox.requests()).toEqual([]);
    expect(await gateway.app.storage.teleconsultations.findById(visitId)).toEqual(before);
    expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
  }

  it('tells the frontend it is LiveKit, offering no optional capability', async () => {
    const { serviceConfig } = await gateway.ok(ServiceConfigProviderDocument);
    expect(serviceConfig.provider).toEqual({ name: 'livekit', capabilities: [] });
    // The visit itself lives on LiveKit, with no capability needed.
    expect(
      livekit()
        .rooms()
        .map((room) => room.name),
    ).toContain(roomId);
    expect(gateway.sandbox.requests()).toEqual([]);
  });

  it.each([
    ['companySettings', () => gateway.request(CompanySettingsDocument, {}, DOCTOR)],
    [
      'updateCompanySettings',
      () => gateway.request(UpdateCompanySettingsDocument, { input: { defaultLanguage: 'en' } }),
    ],
    ['virtualBackgrounds', () => gateway.request(VirtualBackgroundsDocument, {}, DOCTOR)],
    ['deleteVirtualBackground', () => gateway.request(DeleteVirtualBackgroundDocument, { alias: 'clinic' })],
    ['createCredentials', () => gateway.request(CreateCredentialsDocument, { expiresIn: 3600 }, DOCTOR)],
    [
      'deleteTeleconsultationUploads',
      () => gateway.request(DeleteTeleconsultationUploadsDocument, { id: visitId }, DOCTOR),
    ],
    [
      'Teleconsultation.sessions',
      () => gateway.request(TeleconsultationSessionsDocument, { id: visitId }, DOCTOR),
    ],
    [
      'transcription',
      () => gateway.request(TranscriptionDocument, { teleconsultationId: visitId, sessionId: 's1' }, DOCTOR),
    ],
    [
      'createTeleconsultation with a recording',
      () =>
        gateway.request(CreateTeleconsultationDocument, {
          input: {
            startDate: inMinutes(90),
            durationInSeconds: 1800,
            participants: [doctor('lk-doc-2'), patient('lk-pat-2')],
            recording: 'MANUAL',
          },
        }),
    ],
    [
      'updateTeleconsultation to a recording',
      () =>
        gateway.request(UpdateTeleconsultationDocument, { id: visitId, input: { recording: 'AUTOMATIC' } }),
    ],
  ])('GraphQL %s is refused with NOT_IMPLEMENTED before any side effect', async (_name, send) => {
    await untouched(async () => {
      const response = await send();
      expect(response.errors?.[0]?.extensions).toMatchObject(REFUSED);
    });
  });

  it.each([
    [
      'PATCH /settings/update',
      () => gateway.rest('PATCH', '/settings/update', { body: { default_language: 'en' } }),
    ],
    ['POST /credentials', () => gateway.rest('POST', '/credentials', { ...DOCTOR, body: {} })],
    [
      'DELETE /teleconsultation/:id/uploads',
      () => gateway.rest('DELETE', `/teleconsultation/${visitId}/uploads`, DOCTOR),
    ],
    [
      'GET /transcription/:roomId/:sessionId',
      () => gateway.rest('GET', `/transcription/${roomId}/s1`, DOCTOR),
    ],
    [
      'POST /teleconsultation with a recording',
      () =>
        gateway.rest('POST', '/teleconsultation', {
          body: {
            participants: { number: 2, data: [doctor('lk-doc-3'), patient('lk-pat-3')] },
            start_date: inMinutes(120),
            duration_in_seconds: 1800,
            recording: 'manual',
          },
        }),
    ],
    [
      'PATCH /teleconsultation/:id to a recording',
      () => gateway.rest('PATCH', `/teleconsultation/${visitId}`, { body: { recording: 'automatic' } }),
    ],
  ])('REST %s answers 501 with the original { error }, before any side effect', async (_name, send) => {
    await untouched(async () => {
      const response = await send();
      expect(response.status).toBe(501);
      expect(response.json).toMatchObject({ error: expect.any(String), ...REFUSED });
    });
  });

  it('REST POST /settings/background-image answers 501 before reading the image', async () => {
    await untouched(async () => {
      const form = new FormData();
      form.append('virtual_background', new Blob([PNG_1X1], { type: 'image/png' }), 'clinic.png');
      const response = await fetch(`${gateway.url}/settings/background-image`, {
        method: 'POST',
        headers: { isbackoffice: 'true' },
        body: form,
      });
      expect(response.status).toBe(501);
      expect(await response.json()).toMatchObject({ error: expect.any(String), ...REFUSED });
    });
  });
});
