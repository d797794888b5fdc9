/**
 * A video provider declares what it offers; an operation needing a capability it lacks is refused
 * before any side effect (NOT_IMPLEMENTED, PROVIDER_CAPABILITY_UNAVAILABLE; REST 501 with the
 * original's `{ error }`), and `serviceConfig.provider` says what it offers. Run on two providers
 * without optional capabilities: a test double of the port (test/support/fake-video-provider.ts)
 * standing in for VIDEO_PROVIDER, and the real LiveKit provider over its sandbox
 * (VIDEO_PROVIDER=livekit). Every refusal must leave the provider (its calls and rooms), the
 * Kaleyra sandbox and the store untouched.
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
const ENV = { TELECONSULTATION_DELETE_UPLOADS: 'true' };

/** A gateway on a provider without optional capabilities, and what that provider saw. */
interface Setup {
  gateway: TestGateway;
  /** What serviceConfig.provider names. */
  providerName: string;
  /** The calls or requests the provider received (cleared by clearCalls). */
  calls(): unknown[];
  clearCalls(): void;
  roomIds(): string[];
}

const SETUPS: Array<[string, () => Promise<Setup>]> = [
  [
    'a port double with no optional capability',
    async () => {
      const fake = fakeVideoProvider({ name: 'kaleyra' });
      const gateway = await startTestGateway({
        env: ENV,
        overrides: { videoProviders: { kaleyra: fake.provider } },
      });
      return {
        gateway,
        providerName: 'kaleyra',
        calls: () => fake.calls,
        clearCalls: () => {
          fake.calls.length = 0;
          gateway.sandbox.clearRequests();
        },
        roomIds: () => [...fake.rooms.keys()],
      };
    },
  ],
  [
    'LiveKit',
    async () => {
      const gateway = await startTestGateway({ provider: 'livekit', env: ENV });
      const livekit = gateway.livekit;
      if (!livekit) throw new Error('the gateway runs on LiveKit');
      return {
        gateway,
        providerName: 'livekit',
        calls: () => livekit.requests(),
        // Kaleyra's requests are never cleared here: on LiveKit not one may ever reach it.
        clearCalls: () => livekit.clearRequests(),
        roomIds: () => livekit.rooms().map((room) => room.name),
      };
    },
  ],
];

describe.each(SETUPS)('%s: the capabilities it lacks are refused before any side effect', (_name, start) => {
  let setup: Setup;
  let gateway: TestGateway;
  let visitId: string;
  let roomId: string;

  beforeAll(async () => {
    setup = await start();
    gateway = setup.gateway;
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

  /** What must not move: the provider's calls and rooms, Kaleyra's requests, the stored visits. */
  async function untouched(attempt: () => Promise<void>): Promise<void> {
    setup.clearCalls();
    const rooms = setup.roomIds();
    const before = await gateway.app.storage.teleconsultations.findById(visitId);
    const count = await gateway.app.storage.teleconsultations.count();
    await attempt();
    expect(setup.calls()).toEqual([]);
    expect(setup.roomIds()).toEqual(rooms);
    expect(gateway.sandbox.requests()).toEqual([]);
    expect(await gateway.app.storage.teleconsultations.findById(visitId)).toEqual(before);
    expect(await gateway.app.storage.teleconsultations.count()).toBe(count);
  }

  it('tells the frontend its name and that it offers none (serviceConfig.provider)', async () => {
    const { serviceConfig } = await gateway.ok(ServiceConfigProviderDocument);
    expect(serviceConfig.provider).toEqual({ name: setup.providerName, capabilities: [] });
    // The visit itself lives on it, with no capability needed.
    expect(setup.roomIds()).toContain(roomId);
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
            participants: [doctor('doc-2'), patient('pat-2')],
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
