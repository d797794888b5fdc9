/**
 * A video provider declares what it offers; an operation needing a capability it lacks is refused
 * before any side effect (NOT_IMPLEMENTED, PROVIDER_CAPABILITY_UNAVAILABLE; REST 501 with the
 * original's `{ error }`), and `serviceConfig.provider` says what it offers. The provider here is a
 * test double of the port (test/support/fake-video-provider.ts) standing in for VIDEO_PROVIDER,
 * with no optional capability: every refusal must leave it, the Kaleyra sandbox and the store
 * untouched.
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
import { fakeVideoProvider } from '../../support/fake-video-provider.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { PNG_1X1 } from '../../support/images.js';

const DOCTOR = { caller: 'doc-1', groups: 'doctor' };
const REFUSED = { code: 'NOT_IMPLEMENTED', reason: 'PROVIDER_CAPABILITY_UNAVAILABLE' };

describe('a video provider without optional capabilities', () => {
  let gateway: TestGateway;
  let fake: ReturnType<typeof fakeVideoProvider>;
  let visitId: string;
  let roomId: string;

  beforeAll(async () => {
    fake = fakeVideoProvider({ name: 'kaleyra' });
    gateway = await startTestGateway({
      env: { TELECONSULTATION_DELETE_UPLOADS: 'true' },
      overrides: { videoProviders: { kaleyra: fake.provider } },
    });
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('doc-1'), patient('pat-1')],
      },
    });
    visitId = createTeleconsultation.id;
    roomId = createTeleconsultation.roomId as string;
  });
  afterAll(async () => gateway?.close());

  /** What must not move: the provider's calls, Kaleyra's requests, the stored visits. */
  async function untouched(attempt: () => Promise<void>): Promise<void> {
    fake.calls.length = 0;
    gateway.sandbox.clearRequests();
    const before = await gateway.app.storage.teleconsultations.findById(visitId);
    const count = await gateway.app.storage.teleconsultations.count();
    await attempt();
    expect(fake.calls).toEqual([]);
    expect(gateway.sandbox.requests()).toEqual([]);
    expect(await gateway.app.storage.teleconsultations.findById(visitId)).toEqual(before);
    expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
  }

  it('tells the frontend its name and that it offers none (serviceConfig.provider)', async () => {
    const { serviceConfig } = await gateway.ok(ServiceConfigProviderDocument);
    expect(serviceConfig.provider).toEqual({ name: 'kaleyra', capabilities: [] });
    // The visit itself lives on it, with no capability needed.
    expect(fake.rooms.has(roomId)).toBe(true);
  });

  it.each([
    ['companySettings', () => gateway.request(CompanySettingsDocument, {}, DOCTOR)],
    ['virtualBackgrounds', () => gateway.request(VirtualBackgroundsDocument, {}, DOCTOR)],
    [
      'updateCompanySettings',
      () => gateway.request(UpdateCompanySettingsDocument, { input: { defaultLanguage: 'en' } }),
    ],
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
            participants: [doctor('doc-2'), patient('pat-2')],
            recording: 'MANUAL',
          },
        }),
    ],
    [
      'updateTeleconsultation to a recording',
      () =>
        gateway.request(UpdateTeleconsultationDocument, {
          id: visitId,
          input: { recording: 'AUTOMATIC' },
        }),
    ],
  ])('GraphQL %s is refused before any side effect', async (_name, send) => {
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
            participants: { number: 2, data: [doctor('doc-3'), patient('pat-3')] },
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
