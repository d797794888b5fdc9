/**
 * Every operation × every kind of caller, with the default policies (the secure defaults of the
 * authorization spec), over HTTP against the real gateway in auth-service mode. A refusal must
 * come before any side effect: nothing reaches Kaleyra (the sandbox's request log), the auth
 * service (the stub's request log) or the store (counts and versions).
 */
import {
  AddParticipantsDocument,
  AdmitAllDocument,
  AdmitParticipantDocument,
  AnnounceDelayDocument,
  CheckInDocument,
  CompanySettingsDocument,
  CreateCredentialsDocument,
  CreateTeleconsultationDocument,
  DeleteTeleconsultationDocument,
  DeleteTeleconsultationUploadsDocument,
  DeleteVirtualBackgroundDocument,
  DenyParticipantDocument,
  MyTeleconsultationsDocument,
  ServiceConfigDocument,
  TeleconsultationDocument,
  TranscriptionDocument,
  UpdateCompanySettingsDocument,
  UpdateTeleconsultationDocument,
  VirtualBackgroundsDocument,
  VisitHistoryDocument,
  WaitingRoomOfHostDocument,
  WebhookDeliveriesDocument,
} from '../../generated/graphql.js';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';
import {
  type GraphqlResponse,
  identityHeaders,
  inMinutes,
  type RequestOptions,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';
import { PNG_1X1 } from '../../support/images.js';

const USERS = {
  'doc-A': { name: 'Doctor A', groups: ['doctor'] },
  'pat-A': { name: 'Patient A', groups: ['customer'] },
  'pat-new': { name: 'New Patient', groups: ['customer'] },
  'doc-B': { name: 'Doctor B', groups: ['doctor'] },
  'bo-1': { name: 'Back Office', groups: ['backoffice'] },
  'visitor-1': { name: 'Visitor', groups: ['visitor'] },
};

/** The callers of the table: what the platform's API gateway would send for each. */
const CALLERS = {
  'no identity': { anonymous: true },
  'patient participant': { caller: 'pat-A', groups: 'customer' },
  'doctor participant': { caller: 'doc-A', groups: 'doctor' },
  'doctor of another visit': { caller: 'doc-B', groups: 'doctor' },
  'back office': { caller: 'bo-1', groups: 'backoffice', headers: { isbackoffice: 'true' } },
  'caller in no configured group': { caller: 'visitor-1', groups: 'visitor' },
} satisfies Record<string, RequestOptions>;

type CallerName = keyof typeof CALLERS;
type Outcome = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN';

interface Target {
  id: string;
}

/** How each operation is called; `target` is a fresh visit of doc-A and pat-A (waiting for a third for add). */
const OPERATIONS: Record<
  string,
  {
    target: 'complete' | 'waiting' | null;
    call: (gw: TestGateway, target: Target | null, as: RequestOptions) => Promise<GraphqlResponse<unknown>>;
    /** The policy a refusal names, when a caller is refused before this one speaks (a field of the visit). */
    refusedAs?: (caller: CallerName) => string;
  }
> = {
  teleconsultation: {
    target: 'complete',
    call: (gw, t, as) => gw.request(TeleconsultationDocument, { id: t?.id as string }, as),
  },
  teleconsultationHistory: {
    target: 'complete',
    // The root query asks only the history's policy (the back office is no participant).
    call: (gw, t, as) => gw.request(VisitHistoryDocument, { id: t?.id as string }, as),
  },
  transcription: {
    target: 'complete',
    // Allowed callers reach Kaleyra, which has no such session: NOT_FOUND, not a refusal.
    call: (gw, t, as) =>
      gw.request(TranscriptionDocument, { teleconsultationId: t?.id as string, sessionId: 's1' }, as),
  },
  webhookDeliveries: {
    target: null,
    call: (gw, _t, as) => gw.request(WebhookDeliveriesDocument, {}, as),
  },
  myTeleconsultations: {
    target: null,
    call: (gw, _t, as) => gw.request(MyTeleconsultationsDocument, {}, as),
  },
  createTeleconsultation: {
    target: null,
    call: (gw, _t, as) =>
      gw.request(
        CreateTeleconsultationDocument,
        {
          input: {
            startDate: inMinutes(90),
            durationInSeconds: 1800,
            participants: [{ userId: 'doc-A' }, { userId: 'pat-A' }],
          },
        },
        as,
      ),
  },
  addParticipants: {
    target: 'waiting',
    call: (gw, t, as) =>
      gw.request(AddParticipantsDocument, { id: t?.id as string, participants: [{ userId: 'pat-new' }] }, as),
  },
  updateTeleconsultation: {
    target: 'complete',
    call: (gw, t, as) =>
      gw.request(
        UpdateTeleconsultationDocument,
        { id: t?.id as string, input: { startDate: inMinutes(75) } },
        as,
      ),
  },
  deleteTeleconsultation: {
    target: 'complete',
    call: (gw, t, as) => gw.request(DeleteTeleconsultationDocument, { id: t?.id as string }, as),
  },
  checkIn: {
    target: 'complete',
    call: (gw, t, as) => gw.request(CheckInDocument, { teleconsultationId: t?.id as string }, as),
  },
  admitParticipant: {
    target: 'complete',
    call: (gw, t, as) =>
      gw.request(AdmitParticipantDocument, { teleconsultationId: t?.id as string, userId: 'pat-A' }, as),
  },
  denyParticipant: {
    target: 'complete',
    call: (gw, t, as) =>
      gw.request(DenyParticipantDocument, { teleconsultationId: t?.id as string, userId: 'pat-A' }, as),
  },
  admitAll: {
    target: 'complete',
    call: (gw, t, as) => gw.request(AdmitAllDocument, { teleconsultationId: t?.id as string }, as),
  },
  announceDelay: {
    target: 'complete',
    call: (gw, t, as) =>
      gw.request(AnnounceDelayDocument, { teleconsultationId: t?.id as string, minutes: 5 }, as),
  },
  // Read as a field of the visit: the `teleconsultation` policy speaks first (the back office,
  // who may not read the visit by default, is refused there).
  waitingRoom: {
    target: 'complete',
    call: (gw, t, as) => gw.request(WaitingRoomOfHostDocument, { id: t?.id as string }, as),
    refusedAs: (caller) => (caller === 'patient participant' ? 'waitingRoom' : 'teleconsultation'),
  },
  deleteTeleconsultationUploads: {
    target: 'complete',
    call: (gw, t, as) => gw.request(DeleteTeleconsultationUploadsDocument, { id: t?.id as string }, as),
  },
  createCredentials: {
    target: null,
    call: (gw, _t, as) => gw.request(CreateCredentialsDocument, { expiresIn: 3600 }, as),
  },
  serviceConfig: {
    target: null,
    call: (gw, _t, as) => gw.request(ServiceConfigDocument, undefined, as),
  },
  companySettings: {
    target: null,
    call: (gw, _t, as) => gw.request(CompanySettingsDocument, undefined, as),
  },
  virtualBackgrounds: {
    target: null,
    call: (gw, _t, as) => gw.request(VirtualBackgroundsDocument, undefined, as),
  },
  updateCompanySettings: {
    target: null,
    call: (gw, _t, as) => gw.request(UpdateCompanySettingsDocument, { input: { defaultLanguage: 'it' } }, as),
  },
  deleteVirtualBackground: {
    target: null,
    call: (gw, _t, as) => gw.request(DeleteVirtualBackgroundDocument, { alias: 'bg_unknown' }, as),
  },
  // The FHIR view's CapabilityStatement: a refusal would be an OperationOutcome (login, forbidden).
  fhirMetadata: {
    target: null,
    call: async (gw, _t, as) => {
      const response = await fetch(`${gw.url}/fhir/R4/metadata`, {
        headers: { ...identityHeaders(gw.config, as), ...as.headers },
      });
      const body = (await response.json()) as { issue?: Array<{ code?: string }> };
      const issue = body.issue?.[0]?.code;
      const code = issue === 'login' ? 'UNAUTHENTICATED' : issue === 'forbidden' ? 'FORBIDDEN' : null;
      return code
        ? {
            status: response.status,
            errors: [{ message: 'refused', extensions: { code, operation: 'fhirMetadata' } }],
          }
        : { status: response.status, data: body };
    },
  },
  // REST-only (multipart): its refusal in the REST shape carries the same code.
  uploadVirtualBackground: {
    target: null,
    call: async (gw, _t, as) => {
      const form = new FormData();
      form.append('virtual_background', new Blob([PNG_1X1], { type: 'image/png' }), 'bg.png');
      const response = await fetch(`${gw.url}/settings/background-image`, {
        method: 'POST',
        headers: { ...identityHeaders(gw.config, as), ...as.headers },
        body: form,
      });
      const body = (await response.json()) as { code?: string; reason?: string };
      const refused = body.code === 'UNAUTHENTICATED' || body.code === 'FORBIDDEN';
      return refused
        ? {
            status: response.status,
            errors: [{ message: 'refused', extensions: { ...body, operation: 'uploadVirtualBackground' } }],
          }
        : { status: response.status, data: body };
    },
  },
};

const A = 'allowed';
const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
/** The expected decisions, caller by caller, in CALLERS' order. */
const EXPECTED: Record<string, Outcome[]> = {
  //                             none patient doctor other backoffice nogroup
  teleconsultation: /*        */ [U, A, A, F, F, F],
  myTeleconsultations: /*     */ [U, A, A, A, A, A],
  teleconsultationHistory: /* */ [U, F, A, F, A, F],
  transcription: /*           */ [U, F, A, F, A, F],
  webhookDeliveries: /*       */ [U, F, F, F, A, F],
  createTeleconsultation: /*  */ [U, F, A, A, A, F],
  addParticipants: /*         */ [U, F, A, F, A, F],
  updateTeleconsultation: /*  */ [U, F, A, F, A, F],
  deleteTeleconsultation: /*  */ [U, F, A, F, A, F],
  deleteTeleconsultationUploads: [U, A, A, F, F, F],
  checkIn: /*                 */ [U, A, A, F, F, F],
  admitParticipant: /*        */ [U, F, A, F, A, F],
  denyParticipant: /*         */ [U, F, A, F, A, F],
  admitAll: /*                */ [U, F, A, F, A, F],
  announceDelay: /*           */ [U, F, A, F, A, F],
  waitingRoom: /*             */ [U, F, A, F, F, F],
  createCredentials: /*       */ [U, A, A, A, A, A],
  serviceConfig: /*           */ [A, A, A, A, A, A],
  fhirMetadata: /*            */ [A, A, A, A, A, A],
  companySettings: /*         */ [U, A, A, A, A, A],
  virtualBackgrounds: /*      */ [U, A, A, A, A, A],
  updateCompanySettings: /*   */ [U, F, F, F, A, F],
  uploadVirtualBackground: /* */ [U, F, F, F, A, F],
  deleteVirtualBackground: /* */ [U, F, F, F, A, F],
};

const CASES = Object.entries(EXPECTED).flatMap(([operation, outcomes]) =>
  (Object.keys(CALLERS) as CallerName[]).map(
    (caller, index) => [operation, caller, outcomes[index] as Outcome] as const,
  ),
);

function refusalOf(response: GraphqlResponse<unknown>): Outcome {
  const code = response.errors?.[0]?.extensions?.code;
  return code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? code : 'allowed';
}

describe('the default policies: every operation × every caller', () => {
  let stub: AuthServiceStub;
  let gateway: TestGateway;

  beforeAll(async () => {
    stub = await startAuthServiceStub(USERS);
    gateway = await startTestGateway({
      env: {
        AUTH_SERVICE: stub.url,
        TELECONSULTATION_DELETE_UPLOADS: 'true',
        AUTH_SERVICE_CACHE_TTL_MS: '0',
      },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await stub?.close();
  });

  /** A fresh visit of doc-A and pat-A, scheduled by the back office (the default identity). */
  async function visit(kind: 'complete' | 'waiting'): Promise<Target> {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        ...(kind === 'waiting' ? { participantsNumber: 3 } : {}),
        participants: [{ userId: 'doc-A' }, { userId: 'pat-A' }],
      },
    });
    return { id: createTeleconsultation.id };
  }

  it('covers every operation the service exposes', async () => {
    const { OPERATION_KEYS } = await import('../../../src/domain/authorization/operations.js');
    expect(Object.keys(EXPECTED).sort()).toEqual([...OPERATION_KEYS].sort());
  });

  it.each(CASES)('%s by %s: %s', async (operation, callerName, expected) => {
    const spec = OPERATIONS[operation];
    if (!spec) throw new Error(`no call for ${operation}`);
    const target = spec.target ? await visit(spec.target) : null;
    const storage = gateway.app.storage.teleconsultations;
    const count = await storage.count();
    const version = target ? (await storage.findById(target.id))?.version : undefined;
    gateway.sandbox.clearRequests();
    stub.clearRequests();

    const response = await spec.call(gateway, target, CALLERS[callerName]);

    expect(refusalOf(response)).toBe(expected);
    if (expected === 'allowed') return;
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: expected,
      reason: expected === 'FORBIDDEN' ? 'POLICY_DENIED' : 'NO_CALLER_ID',
      operation: spec.refusedAs?.(callerName) ?? operation,
    });
    // The expression itself is never sent.
    expect(JSON.stringify(response)).not.toMatch(/isPlusParticipant|inPlusGroups|isParticipant \|\|/);
    expect(gateway.sandbox.requests()).toEqual([]);
    expect(stub.requests()).toEqual([]);
    expect(await storage.count()).toBe(count);
    if (target) expect((await storage.findById(target.id))?.version).toBe(version);
  });

  it('logs a denial with ids only: caller, operation, teleconsultation', async () => {
    const target = await visit('complete');
    await gateway.request(DeleteTeleconsultationDocument, { id: target.id }, CALLERS['patient participant']);
    const line = gateway
      .logs()
      .split('\n')
      .filter((text) => text.includes('authorization denied'))
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.teleconsultationId === target.id);
    expect(line).toMatchObject({ callerId: 'pat-A', operation: 'deleteTeleconsultation', level: 30 });
    expect(JSON.stringify(line)).not.toMatch(/Patient A|customer/);
  });
});
