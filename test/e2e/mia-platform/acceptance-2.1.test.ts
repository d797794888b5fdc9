/**
 * The 2.1 acceptance run: the gateway started exactly as a Mia-Platform 2.1.0 deployment of the
 * original would start it (the catalog's 2.1.0 item, kept verbatim in test/fixtures/mia-platform/:
 * its variables, its config map mounted where it says, our image's own ENV), plus the store and
 * the Kaleyra sandbox's address; then the original frontend's flow over REST and the status
 * routes, every request log line checked against lc39's schema.
 *
 * Deviations from the deployment, each for the test's sake: STORE=memory instead of MONGODB_URL
 * (no database here), BANDYER_BASE_URL the sandbox's (the item's is a placeholder; its key,
 * `{{CHANGE}}`, is kept and the sandbox expects it), and HTTP_PORT=0 once the configuration has
 * been shown to listen on the item's 3000 (a fixed port would collide with anything on it).
 */
import { readFileSync } from 'node:fs';
import { type KaleyraSandbox, startKaleyraSandbox } from '../../../dev/kaleyra-sandbox/sandbox.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { inMinutes, startTestGateway, T0, type TestGateway } from '../../support/gateway.js';
import {
  lc39StatusValidators,
  miaFixture,
  miaLogProblems,
  parseLogLines,
} from '../../support/mia-platform.js';

interface Item21 {
  resources: {
    services: Record<
      string,
      {
        defaultEnvironmentVariables: Array<{ name: string; value: string }>;
        defaultConfigMaps: Array<{ mountPath: string; files: Array<{ name: string; content: string }> }>;
      }
    >;
  };
}

const ITEM = miaFixture('teleconsultation-service-backend-2.1.0.json') as Item21;
const SERVICE = ITEM.resources.services['teleconsultation-service-backend'];
if (SERVICE === undefined) throw new Error('the 2.1.0 item has no teleconsultation-service-backend');
const ITEM_ENV = Object.fromEntries(
  SERVICE.defaultEnvironmentVariables.map(({ name, value }) => [name, value]),
);
/** The config map, mounted as the platform mounts it. */
const FILES = Object.fromEntries(
  SERVICE.defaultConfigMaps.flatMap(({ mountPath, files }) =>
    files.map(({ name, content }) => [`${mountPath}/${name}`, content]),
  ),
);

/** The `ENV` of our image's runtime stage: part of every container's environment. */
function imageEnvironment(): Record<string, string> {
  const dockerfile = readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8');
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  const env: Record<string, string> = {};
  for (const [, body] of runtime.matchAll(/^ENV\s+((?:.*\\\n)*.*)$/gm)) {
    for (const [, name, value] of (body ?? '').matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g))
      env[name as string] = value as string;
  }
  return env;
}

/** What the platform's API gateway adds to every request it forwards. */
let requestCount = 0;
const forwarded = (headers: Record<string, string> = {}) => ({
  'x-request-id': `acceptance-${++requestCount}`,
  'x-forwarded-for': '10.1.2.3',
  'x-forwarded-host': 'clinic.example',
  ...headers,
});

describe('a 2.1.0 deployment with our image', () => {
  let sandbox: KaleyraSandbox;
  let gateway: TestGateway;
  let deployment: Record<string, string>;
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    sandbox = await startKaleyraSandbox({ apiKey: ITEM_ENV.BANDYER_API_SECRET_KEY as string, clock });
    deployment = { ...imageEnvironment(), ...ITEM_ENV, STORE: 'memory', BANDYER_BASE_URL: sandbox.url };
    gateway = await startTestGateway({
      exactEnv: deployment,
      env: { HTTP_PORT: '0' },
      files: FILES,
      sandbox,
      clock,
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
  });

  it('is configured from the 2.1.0 item as it is: its port, trace logs, proxies, headers and config map', () => {
    const config = loadConfig(deployment, { readFile: (path) => FILES[path] ?? '' });
    expect(Object.keys(ITEM_ENV)).toHaveLength(20);
    expect(config.http.port).toBe(3000);
    expect(config.runtime).toMatchObject({ logLevel: 'trace', devMode: false });
    expect(config.http.trustedProxies).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
    expect(config.identity.headerNames).toEqual([
      'miauserid',
      'miausergroups',
      'isbackoffice',
      'client-type',
      'miauserproperties',
    ]);
    expect(config.service.privileges.plus.groups).toEqual(['doctor', 'admin']);
    expect(config.store.collections).toMatchObject({ teleconsultations: '{{CHANGE-INSERT_VALUE}}' });
  });

  it("runs the original frontend's flow over REST, the transcription after the call, and the status routes", async () => {
    const validators = lc39StatusValidators();
    for (const path of ['/-/healthz', '/-/ready', '/-/check-up']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.status).toBe(200);
      expect(validators[200](await response.json())).toBe(true);
    }

    // The appointment manager schedules the visit (the platform marks it as the back office).
    const start = inMinutes(30, T0);
    const created = await gateway.rest('POST', '/teleconsultation', {
      anonymous: true,
      headers: forwarded({ isbackoffice: 'true' }),
      body: {
        participants: {
          number: 2,
          data: [
            { userId: 'doctor-21', groups: ['doctor'], fullName: 'Dr Acceptance Rossi', language: 'it' },
            {
              userId: 'patient-21',
              groups: ['customer'],
              fullName: 'Ada Acceptance Bianchi',
              language: 'it',
            },
          ],
        },
        start_date: start,
        duration_in_seconds: 1800,
      },
    });
    expect(created.status).toBe(201);
    const { roomId: id } = created.json as { roomId: string };

    // The frontend polls as the patient: a waiting room until the visit locks (at its start here).
    const poll = (userId: string, groups: string) =>
      gateway.rest('GET', `/teleconsultation/${id}?language=it`, {
        anonymous: true,
        headers: forwarded({ miauserid: userId, miausergroups: groups }),
      });
    const waiting = await poll('patient-21', 'customer');
    expect(waiting.status).toBe(200);
    expect(waiting.json).toMatchObject({ accessLinkURL: null, participantsBandyerCall: expect.any(Array) });
    expect((waiting.json as { participantsBandyerCall: unknown[] }).participantsBandyerCall).toHaveLength(2);

    clock.set(new Date(start));
    const patientView = (await poll('patient-21', 'customer')).json as { accessLinkURL: string | null };
    const doctorView = (await poll('doctor-21', 'doctor')).json as { accessLinkURL: string | null };
    expect(patientView.accessLinkURL).toMatch(/^https:\/\//);
    expect(doctorView.accessLinkURL).toMatch(/^https:\/\//);
    expect(patientView.accessLinkURL).not.toBe(doctorView.accessLinkURL);

    // Someone who is not a participant still gets the original's refusal.
    const stranger = await poll('someone-else', 'customer');
    expect(stranger.status).toBe(401);
    expect(stranger.json).toMatchObject({ error: 'Unauthorized user' });

    // The platform's API portal finds the document.
    expect((await fetch(`${gateway.url}/documentation/json`, { headers: forwarded() })).status).toBe(200);

    // After the call, the doctor reads the session's transcription by Kaleyra's room id, the one
    // endpoint 2.1 added; the item's TRANSCRIPTION_MAX_FILE_SIZE (50MB) lets a 64 KB one through.
    const [room] = sandbox.rooms();
    if (!room) throw new Error('the visit has no Kaleyra room');
    sandbox.addSession(room.roomId, { session_id: 'after-call', transcription: { size_bytes: 64 * 1024 } });
    clock.set(new Date(Date.parse(start) + 40 * 60_000));
    const transcription = await gateway.rest('GET', `/transcription/${room.roomId}/after-call`, {
      anonymous: true,
      headers: forwarded({ miauserid: 'doctor-21', miausergroups: 'doctor' }),
    });
    expect(transcription.status).toBe(200);
    expect(Buffer.byteLength(transcription.text)).toBe(64 * 1024);
    expect(transcription.json).toMatchObject({ session_id: 'after-call', room_id: room.roomId });
    // The patient (a BASIC participant) may not read it: the original's refusal.
    const refused = await gateway.rest('GET', `/transcription/${room.roomId}/after-call`, {
      anonymous: true,
      headers: forwarded({ miauserid: 'patient-21', miausergroups: 'customer' }),
    });
    expect(refused.status).toBe(401);
  });

  it("wrote every request's lines in mia-json, valid for lc39, grouped by the platform's request id", () => {
    const lines = parseLogLines(gateway.logs());
    expect(miaLogProblems(lines)).toEqual([]);
    // Status probes write no request lines; every other request wrote both, under its own id.
    for (let n = 1; n <= requestCount; n++) {
      const own = lines.filter((line) => line.reqId === `acceptance-${n}`);
      expect(own.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['incoming request', 'request completed']),
      );
      const completed = own.find((line) => line.msg === 'request completed');
      // Forwarded through a trusted proxy (10.0.0.0/8)? No: the test connects from 127.0.0.1,
      // which the 2.1.0 list does not trust, so its X-Forwarded-For is not believed.
      expect(completed).toMatchObject({
        host: { hostname: '127.0.0.1', forwardedHost: 'clinic.example', ip: '127.0.0.1' },
      });
    }
    // Every line a request wrote carries its id, the Kaleyra client's included: the only lines
    // without one are the start's.
    const withoutReqId = lines.filter((line) => line.reqId === undefined).map((line) => String(line.msg));
    expect(withoutReqId.filter((msg) => !msg.includes('listening'))).toStrictEqual([]);
    expect(lines.filter((line) => line.msg === 'kaleyra call').length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.msg === 'incoming request')).toHaveLength(requestCount);
    // Patients' and doctors' names never reach the logs.
    expect(gateway.logs()).not.toMatch(/Acceptance/);
  });
});
