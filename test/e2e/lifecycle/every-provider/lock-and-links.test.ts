/**
 * The lock and the links on every provider, over GraphQL and graphql-ws as a client would:
 * changes accepted 1 ms before lockedFrom and refused at it (nothing touched); no link before
 * lockedFrom, each caller's own link at it, which the provider's sandbox admits for that
 * participant only; no link while participants are missing; links handed out until the join
 * window's end (canJoinUntil) and none after; the subscription pushing the link at the lock
 * instant. On a provider other than Kaleyra, not one request reaches Kaleyra.
 */
import {
  AddParticipantsDocument,
  TeleconsultationDocument,
  UpdateTeleconsultationDocument,
} from '../../../generated/graphql.js';
import { doctor, patient, T0 } from '../../../support/gateway.js';
import { type LiveClient, liveClient } from '../../../support/live-client.js';
import {
  type Created,
  createVisit,
  errorOf,
  expectKaleyraUntouchedUnlessKaleyra,
  MINUTE,
  type ProviderGateway,
  SERVICE_CONFIG,
  startProviderGateway,
  VIDEO_PROVIDERS,
  videoUserIdOf,
} from './provider-suite.js';

const TICK_MS = 20;
const DOCTOR_GROUPS = 'doctor';
const PATIENT_GROUPS = 'customer';

const SUBSCRIPTION = `subscription Live($id: ID!) {
  teleconsultationChanged(id: $id) { id status locked joinState accessLinkURL }
}`;
interface Pushed {
  status: string;
  locked: boolean;
  joinState: string;
  accessLinkURL: string | null;
}
const pushed = (result: { data?: unknown } | undefined) =>
  (result?.data as { teleconsultationChanged: Pushed } | undefined)?.teleconsultationChanged;

describe.each(VIDEO_PROVIDERS)('the lock and the links on %s', (provider) => {
  let under: ProviderGateway;
  const clients: LiveClient[] = [];
  const gateway = () => under.gateway;
  const video = () => under.video;
  const stored = (id: string) => gateway().app.storage.teleconsultations.findById(id);

  beforeAll(async () => {
    under = await startProviderGateway(provider, {
      serviceConfigFile: SERVICE_CONFIG,
      overrides: { liveTickMs: TICK_MS },
    });
  });
  afterAll(async () => under?.gateway.close());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    // A superseded room's deletion is a job: let it end here, not in the next test's request log.
    await gateway().runJobs();
    video().heal();
    gateway().clock.set(T0);
    expectKaleyraUntouchedUnlessKaleyra(gateway());
    video().clearRequests();
    gateway().sandbox.clearRequests();
  });

  /** The caller's view of the visit (the doctor in PLUS, a patient in BASIC). */
  async function viewOf(id: string, caller: string) {
    const groups = caller.endsWith('-doc') ? DOCTOR_GROUPS : PATIENT_GROUPS;
    const { teleconsultation } = await gateway().ok(TeleconsultationDocument, { id }, { caller, groups });
    if (!teleconsultation) throw new Error(`${caller} cannot read ${id}`);
    return teleconsultation;
  }
  const linkOf = async (id: string, caller: string) => (await viewOf(id, caller)).accessLinkURL;

  async function scheduled(tag: string): Promise<Created> {
    const created = await createVisit(gateway(), tag);
    video().clearRequests();
    return created;
  }

  it('accepts a change 1 ms before lockedFrom', async () => {
    const created = await scheduled('l1');
    gateway().clock.set(Date.parse(created.lockedFrom) - 1);
    const { updateTeleconsultation } = await gateway().ok(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { durationInSeconds: 2400 },
    });
    expect(updateTeleconsultation).toMatchObject({ durationInSeconds: 2400, locked: false });
  });

  it('refuses update and addParticipants with TELECONSULTATION_LOCKED at lockedFrom, touching nothing', async () => {
    const created = await scheduled('l2');
    const before = await stored(created.id);
    gateway().clock.set(Date.parse(created.lockedFrom));
    const update = await gateway().request(UpdateTeleconsultationDocument, {
      id: created.id,
      input: { durationInSeconds: 2400 },
    });
    expect(errorOf(update)).toMatchObject({ code: 'TELECONSULTATION_LOCKED', reason: 'IMMUTABLE_PERIOD' });
    const add = await gateway().request(AddParticipantsDocument, {
      id: created.id,
      participants: [patient('l2-late')],
    });
    expect(errorOf(add)).toMatchObject({ code: 'TELECONSULTATION_LOCKED' });
    expect(await stored(created.id)).toEqual(before);
    expect(video().calls()).toEqual([]);
    expect(video().roomIds()).toContain(created.roomId);
  });

  it("hands out no link 1 ms before lockedFrom, and each caller's own link at it, admitted for them only", async () => {
    const created = await scheduled('k1');
    const roomId = created.roomId as string;
    gateway().clock.set(Date.parse(created.lockedFrom) - 1);
    expect(await viewOf(created.id, 'k1-pat')).toMatchObject({ locked: false, accessLinkURL: null });
    expect(await linkOf(created.id, 'k1-doc')).toBeNull();

    gateway().clock.set(Date.parse(created.lockedFrom));
    const patientView = await viewOf(created.id, 'k1-pat');
    expect(patientView).toMatchObject({ status: 'LOCKED', locked: true, joinState: 'OPEN' });
    const patientLink = patientView.accessLinkURL as string;
    const doctorLink = (await linkOf(created.id, 'k1-doc')) as string;
    expect(patientLink).toMatch(/^https:\/\//);
    expect(doctorLink).toMatch(/^https:\/\//);
    expect(doctorLink).not.toBe(patientLink);
    const patientId = { roomId, videoUserId: videoUserIdOf(created, 'k1-pat') };
    const doctorId = { roomId, videoUserId: videoUserIdOf(created, 'k1-doc') };
    expect(await video().admits(patientLink, patientId)).toBe(true);
    expect(await video().admits(doctorLink, doctorId)).toBe(true);
    // A link is its holder's: it lets nobody else in.
    expect(await video().admits(doctorLink, patientId)).toBe(false);
    expect(await video().admits(patientLink, doctorId)).toBe(false);
  });

  it('hands out no link while participants are missing, even after the start', async () => {
    const waiting = await createVisit(gateway(), 'k2', {
      participantsNumber: 2,
      participants: [doctor('k2-doc')],
    });
    gateway().clock.set(Date.parse(waiting.startDate) + MINUTE);
    expect(await viewOf(waiting.id, 'k2-doc')).toMatchObject({
      joinState: 'WAITING_FOR_PARTICIPANTS',
      accessLinkURL: null,
    });
    expect(
      video()
        .calls()
        .filter((call) => call.op === 'createRoom'),
    ).toEqual([]);
  });

  it("hands out links until the join window's end (canJoinUntil), none after", async () => {
    const created = await scheduled('w1');
    const roomId = created.roomId as string;
    const until = Date.parse(created.endDate as string) + SERVICE_CONFIG.joinClosesAfterEndMs;
    expect(created.canJoinUntil).toBe(new Date(until).toISOString());

    gateway().clock.set(until - 1);
    const last = await viewOf(created.id, 'w1-pat');
    expect(last).toMatchObject({ joinState: 'OPEN', canJoinUntil: new Date(until).toISOString() });
    expect(
      await video().admits(last.accessLinkURL as string, {
        roomId,
        videoUserId: videoUserIdOf(created, 'w1-pat'),
      }),
    ).toBe(true);

    gateway().clock.set(until);
    expect(await viewOf(created.id, 'w1-pat')).toMatchObject({ joinState: 'ENDED', accessLinkURL: null });
    expect(await linkOf(created.id, 'w1-doc')).toBeNull();
  });

  it('pushes the link to a subscriber at the lock instant, one the provider admits', async () => {
    const created = await scheduled('s1');
    const client = liveClient(gateway().url, { headers: { miauserid: 's1-pat', miausergroups: 'customer' } });
    clients.push(client);
    const stream = client.subscribe(SUBSCRIPTION, { id: created.id });
    const [first] = await stream.waitFor(1);
    expect(pushed(first)).toMatchObject({ joinState: 'NOT_YET', accessLinkURL: null });

    // 1 ms before: nothing new (a few ticks of the live loop pass).
    gateway().clock.set(Date.parse(created.lockedFrom) - 1);
    await new Promise((resolve) => setTimeout(resolve, TICK_MS * 5));
    expect(stream.results).toHaveLength(1);

    gateway().clock.set(Date.parse(created.lockedFrom));
    const [, opened] = await stream.waitFor(2, 2000);
    expect(pushed(opened)).toMatchObject({ status: 'LOCKED', locked: true, joinState: 'OPEN' });
    const link = pushed(opened)?.accessLinkURL as string;
    expect(
      await video().admits(link, {
        roomId: created.roomId as string,
        videoUserId: videoUserIdOf(created, 's1-pat'),
      }),
    ).toBe(true);
  });
});
