/**
 * The read-only FHIR R4 facade over HTTP (docs/fhir.md): every resource it answers, in every state
 * a visit passes through, validates against the R4 JSON Schema and StructureDefinitions; reads are
 * conditional (ETag, If-None-Match); errors are OperationOutcomes; content negotiation is JSON only;
 * and no answer carries a join link, a token or a name.
 */
import {
  FHIR_VALIDATION_SETUP_MS,
  fhirProblems,
  prepareFhirValidation,
} from '../../support/fhir-validation.js';
import {
  doctor,
  inMinutes,
  patient,
  type RestRequestOptions,
  type RestResponse,
  startTestGateway,
  T0,
  type TestGateway,
} from '../../support/gateway.js';

const MINUTE = 60_000;
const FRONTEND = 'https://clinic.example/telecons-fe/teleconsultation/{id}';
const SYSTEM = 'https://clinic.example/fhir/teleconsultation';
const SERVICE_CONFIG = {
  privileges: { basic: { groups: ['customer', 'caregiver'] }, plus: { groups: ['doctor'] } },
  environment: 'sandbox',
  joinClosesAfterEndMs: 10 * MINUTE,
  // The back office may read (and so search) any visit here; everyone else their own.
  authorization: { teleconsultation: 'isParticipant || isBackoffice' },
  fhir: { identifierSystem: SYSTEM, references: { byGroup: { caregiver: 'RelatedPerson/' } } },
};

type Json = Record<string, unknown>;

describe('the FHIR R4 facade', () => {
  let gateway: TestGateway;
  /** Every FHIR answer of this file, for the scan for links, tokens and names. */
  const answers: RestResponse[] = [];

  const fhir = async (path: string, options: RestRequestOptions = {}): Promise<RestResponse> => {
    const response = await gateway.rest('GET', `/fhir/R4/${path}`, options);
    answers.push(response);
    return response;
  };

  async function schedule(
    participants: Json[],
    startInMinutes: number,
    number = participants.length,
  ): Promise<string> {
    const created = await gateway.rest('POST', '/teleconsultation', {
      body: {
        participants: { number, data: participants },
        start_date: inMinutes(startInMinutes, gateway.clock.now()),
        duration_in_seconds: 1800,
      },
    });
    expect(created.status).toBe(201);
    return (created.json as { roomId: string }).roomId;
  }

  /** Reads a resource as `caller` and checks it is valid FHIR R4. */
  async function valid(path: string, caller: string): Promise<Json> {
    const response = await fhir(path, { caller });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(fhirProblems(response.json)).toEqual([]);
    return response.json as Json;
  }

  beforeAll(async () => {
    prepareFhirValidation();
    gateway = await startTestGateway({
      serviceConfigFile: SERVICE_CONFIG,
      env: { IMMUTABLE_PERIOD_MS: String(10 * MINUTE), FRONTEND_TELECONSULTATION_URL: FRONTEND },
    });
  }, FHIR_VALIDATION_SETUP_MS);
  afterAll(async () => gateway?.close());

  describe('GET /fhir/R4/metadata', () => {
    it('is a valid CapabilityStatement: 4.0.1, JSON, Appointment read and search, Encounter read', async () => {
      const statement = await valid('metadata', 'anyone');
      expect(statement).toMatchObject({
        resourceType: 'CapabilityStatement',
        fhirVersion: '4.0.1',
        format: ['json'],
        kind: 'instance',
      });
      const [rest] = statement.rest as Array<{ resource: Json[] }>;
      const appointment = rest?.resource.find((r) => r.type === 'Appointment') as Json;
      expect(appointment.interaction).toEqual([{ code: 'read' }, { code: 'search-type' }]);
      expect((appointment.searchParam as Json[]).map((p) => p.name)).toEqual([
        'patient',
        'practitioner',
        'actor',
        'date',
        'status',
        '_count',
      ]);
      expect(rest?.resource.find((r) => r.type === 'Encounter')?.interaction).toEqual([{ code: 'read' }]);
    });
  });

  describe('Appointment and Encounter through a visit’s life', () => {
    it('maps each state, and every answer validates', async () => {
      const start = gateway.clock.now();
      try {
        // Waiting for its third participant: pending, the missing one a place with no actor.
        const waiting = await schedule([doctor('life-doc'), patient('life-pat')], 60, 3);
        const pending = await valid(`Appointment/${waiting}`, 'life-doc');
        expect(pending.status).toBe('pending');
        expect(pending.participant).toEqual([
          { actor: { reference: 'Practitioner/life-doc' }, required: 'required', status: 'accepted' },
          { actor: { reference: 'Patient/life-pat' }, required: 'required', status: 'accepted' },
          { type: [{ text: 'A participant not named yet' }], required: 'required', status: 'needs-action' },
        ]);
        expect((await fhir(`Encounter/${waiting}`, { caller: 'life-doc' })).status).toBe(404);

        // Scheduled: booked, with its identifier, version, dates and the visit page.
        const id = await schedule(
          [doctor('life-doc'), patient('life-pat'), patient('life-care', { groups: ['caregiver'] })],
          60,
        );
        const booked = await valid(`Appointment/${id}`, 'life-pat');
        const stored = await gateway.app.storage.teleconsultations.findById(id);
        expect(booked).toMatchObject({
          resourceType: 'Appointment',
          id,
          meta: { versionId: String(stored?.version), lastUpdated: stored?.updatedAt.toISOString() },
          identifier: [{ system: SYSTEM, value: id }],
          status: 'booked',
          start: inMinutes(60, start),
          end: inMinutes(90, start),
          minutesDuration: 30,
        });
        expect((booked.participant as Json[]).map((p) => (p.actor as Json).reference)).toEqual([
          'Practitioner/life-doc',
          'Patient/life-pat',
          'RelatedPerson/life-care',
        ]);
        expect(booked.extension).toEqual([
          {
            url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.virtualService',
            extension: [
              {
                url: 'channelType',
                valueCoding: {
                  system: 'urn:teleconsultation-gateway:virtual-service-type',
                  code: 'kaleyra-video',
                  display: 'Kaleyra Video',
                },
              },
              { url: 'address', valueUrl: `https://clinic.example/telecons-fe/teleconsultation/${id}` },
              { url: 'maxParticipants', valuePositiveInt: 3 },
            ],
          },
        ]);
        expect(booked.cancelationReason).toBeUndefined();
        expect((await fhir(`Encounter/${id}`, { caller: 'life-pat' })).status).toBe(404);

        // Locked (links are handed out now): still booked.
        gateway.clock.set(Date.parse(inMinutes(55, start)));
        expect((await valid(`Appointment/${id}`, 'life-doc')).status).toBe('booked');
        // Ended, but its join window still open (10 minutes after the end): booked, no Encounter.
        gateway.clock.set(Date.parse(inMinutes(95, start)));
        expect((await valid(`Appointment/${id}`, 'life-doc')).status).toBe('booked');
        expect((await fhir(`Encounter/${id}`, { caller: 'life-doc' })).status).toBe(404);

        // Over: fulfilled, and an Encounter of class VR.
        gateway.clock.set(Date.parse(inMinutes(100, start)));
        expect((await valid(`Appointment/${id}`, 'life-doc')).status).toBe('fulfilled');
        const encounter = await valid(`Encounter/${id}`, 'life-doc');
        expect(encounter).toMatchObject({
          resourceType: 'Encounter',
          id,
          status: 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
          subject: { reference: 'Patient/life-pat' },
          appointment: [{ reference: `Appointment/${id}` }],
          period: { start: inMinutes(60, start), end: inMinutes(90, start) },
          identifier: [{ system: SYSTEM, value: id }],
        });
        expect((encounter.participant as Json[]).map((p) => (p.individual as Json).reference)).toEqual([
          'Practitioner/life-doc',
          'RelatedPerson/life-care',
        ]);
        expect((encounter.extension as Json[])[0]?.url).toBe(
          'http://hl7.org/fhir/5.0/StructureDefinition/extension-Encounter.virtualService',
        );

        // Cancelled (a later visit): cancelled with a reason, still readable, and a cancelled Encounter.
        gateway.clock.set(start);
        const cancelledId = await schedule([doctor('life-doc'), patient('life-pat')], 120);
        expect((await gateway.rest('DELETE', `/teleconsultation/${cancelledId}`)).status).toBeLessThan(300);
        const cancelled = await valid(`Appointment/${cancelledId}`, 'life-pat');
        expect(cancelled).toMatchObject({
          status: 'cancelled',
          cancelationReason: { text: 'The teleconsultation was cancelled.' },
        });
        expect((await valid(`Encounter/${cancelledId}`, 'life-pat')).status).toBe('cancelled');
      } finally {
        gateway.clock.set(start);
      }
    });
  });

  describe('conditional reads', () => {
    it('answers ETag W/"<version>", 304 to a current If-None-Match, 200 again once the visit changed', async () => {
      const id = await schedule([doctor('etag-doc'), patient('etag-pat')], 60);
      const first = await fhir(`Appointment/${id}`, { caller: 'etag-doc' });
      const version = (await gateway.app.storage.teleconsultations.findById(id))?.version;
      expect(first.headers.get('etag')).toBe(`W/"${version}"`);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');

      const same = await fhir(`Appointment/${id}`, {
        caller: 'etag-doc',
        headers: { 'if-none-match': `W/"${version}"` },
      });
      expect(same.status).toBe(304);
      expect(same.text).toBe('');
      expect(same.headers.get('etag')).toBe(`W/"${version}"`);

      const changed = await gateway.rest('PATCH', `/teleconsultation/${id}`, {
        body: { start_date: inMinutes(70, gateway.clock.now()) },
      });
      expect(changed.status).toBeLessThan(300);
      const after = await fhir(`Appointment/${id}`, {
        caller: 'etag-doc',
        headers: { 'if-none-match': `W/"${version}"` },
      });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).toBe(`W/"${(version ?? 0) + 1}"`);
    });
  });

  describe('errors and negotiation', () => {
    let id: string;
    beforeAll(async () => {
      id = await schedule([doctor('err-doc'), patient('err-pat')], 60);
    });

    function outcome(response: RestResponse, status: number, code: string): void {
      expect(response.status).toBe(status);
      expect(fhirProblems(response.json)).toEqual([]);
      expect(response.json).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code }],
      });
    }

    it('refuses a caller the read policy refuses (403), an anonymous one (401), and an unknown visit (404)', async () => {
      outcome(await fhir(`Appointment/${id}`, { caller: 'someone-else' }), 403, 'forbidden');
      outcome(await fhir(`Encounter/${id}`, { caller: 'someone-else' }), 403, 'forbidden');
      outcome(await fhir(`Appointment/${id}`, { anonymous: true }), 401, 'login');
      // The back office (which this configuration lets read) learns an id is unknown.
      outcome(await fhir('Appointment/0123456789abcdef01234567'), 404, 'not-found');
      outcome(await fhir('Appointment/0123456789abcdef01234567', { caller: 'err-pat' }), 403, 'forbidden');
    });

    it.each([
      ['_format=xml', '?_format=xml', {}],
      ['_format=html over an Accept of JSON', '?_format=html', { accept: 'application/fhir+json' }],
      ['Accept: application/fhir+xml', '', { accept: 'application/fhir+xml' }],
      ['Accept: text/html', '', { accept: 'text/html' }],
    ])('answers 406 to %s', async (_what, query, headers) => {
      outcome(await fhir(`Appointment/${id}${query}`, { caller: 'err-doc', headers }), 406, 'not-supported');
    });

    it.each([
      ['no Accept', '', {}, 'application/fhir+json'],
      ['_format=json', '?_format=json', { accept: 'text/html' }, 'application/fhir+json'],
      ['_format=application/fhir+json', '?_format=application/fhir%2Bjson', {}, 'application/fhir+json'],
      ['Accept: application/fhir+json', '', { accept: 'application/fhir+json' }, 'application/fhir+json'],
      ['Accept: application/json', '', { accept: 'application/json' }, 'application/json'],
      ['Accept: text/html, */*;q=0.1', '', { accept: 'text/html, */*;q=0.1' }, 'application/fhir+json'],
    ])('answers JSON to %s', async (_what, query, headers, mediaType) => {
      const response = await fhir(`Appointment/${id}${query}`, { caller: 'err-doc', headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(`${mediaType}; charset=utf-8`);
    });
  });

  describe('GET /fhir/R4/Appointment (search)', () => {
    /** Visits of the search tests, in start order. */
    const ids: Record<string, string> = {};
    const day = (minutes: number) => inMinutes(minutes, T0);

    beforeAll(async () => {
      gateway.clock.set(T0);
      ids.a = await schedule([doctor('s-doc'), patient('s-pat1')], 24 * 60);
      ids.b = await schedule([doctor('s-doc'), patient('s-pat2')], 25 * 60);
      ids.c = await schedule([doctor('s-doc'), patient('s-pat1')], 26 * 60);
      ids.d = await schedule([doctor('s-doc2'), patient('s-pat1')], 48 * 60);
      ids.e = await schedule([doctor('s-doc'), patient('s-pat1')], 49 * 60, 3);
      ids.f = await schedule([doctor('s-doc'), patient('s-pat1')], 50 * 60);
      expect((await gateway.rest('DELETE', `/teleconsultation/${ids.f}`)).status).toBeLessThan(300);
    });

    async function search(query: string, options: RestRequestOptions): Promise<Json> {
      const response = await fhir(`Appointment?${query}`, options);
      expect(response.status).toBe(200);
      expect(fhirProblems(response.json)).toEqual([]);
      return response.json as Json;
    }

    const idsOf = (bundle: Json) =>
      ((bundle.entry as Json[] | undefined) ?? []).map((e) => (e.resource as Json).id);
    const nextOf = (bundle: Json) =>
      (bundle.link as Json[]).find((l) => l.relation === 'next')?.url as string | undefined;

    /** Every page of a search, following link[next]. */
    async function walk(
      query: string,
      options: RestRequestOptions,
    ): Promise<{ ids: unknown[]; pages: number }> {
      const found: unknown[] = [];
      let pages = 0;
      let next: string | undefined = `Appointment?${query}`;
      while (next) {
        const response = await fhir(next, options);
        expect(response.status).toBe(200);
        const bundle = response.json as Json;
        expect(fhirProblems(bundle)).toEqual([]);
        found.push(...idsOf(bundle));
        next = nextOf(bundle);
        pages += 1;
        expect(pages).toBeLessThan(20);
      }
      return { ids: found, pages };
    }

    it('finds a patient’s visits in start order, cancelled included, as a valid searchset Bundle', async () => {
      const bundle = await search('patient=s-pat1', { caller: 's-pat1' });
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      expect(idsOf(bundle)).toEqual([ids.a, ids.c, ids.d, ids.e, ids.f]);
      expect(bundle.link).toEqual([{ relation: 'self', url: 'Appointment?patient=s-pat1' }]);
      expect((bundle.entry as Json[])[0]).toMatchObject({ search: { mode: 'match' } });
    });

    it('takes each participant parameter: patient, practitioner, actor (typed or not), Patient/<id>', async () => {
      const doc = { caller: 's-doc' };
      expect(idsOf(await search('practitioner=s-doc', doc))).toEqual([ids.a, ids.b, ids.c, ids.e, ids.f]);
      expect(idsOf(await search('practitioner=Practitioner/s-doc', doc))).toEqual([
        ids.a,
        ids.b,
        ids.c,
        ids.e,
        ids.f,
      ]);
      expect(idsOf(await search('actor=Practitioner/s-doc', doc))).toEqual([
        ids.a,
        ids.b,
        ids.c,
        ids.e,
        ids.f,
      ]);
      expect(idsOf(await search('actor=s-doc', doc))).toEqual([ids.a, ids.b, ids.c, ids.e, ids.f]);
      // s-doc is a Practitioner, never a Patient.
      expect(idsOf(await search('actor=Patient/s-doc', doc))).toEqual([]);
      expect(idsOf(await search('patient=s-doc', doc))).toEqual([]);
      expect(idsOf(await search('patient=Patient/s-pat2', doc))).toEqual([ids.b]);
      expect(idsOf(await search('patient=https://ehr.example/fhir/Patient/s-pat2', doc))).toEqual([ids.b]);
    });

    it('combines parameters: practitioner and patient, a date range, statuses', async () => {
      const pat = { caller: 's-pat1' };
      expect(idsOf(await search('patient=s-pat1&practitioner=s-doc', pat))).toEqual([
        ids.a,
        ids.c,
        ids.e,
        ids.f,
      ]);
      expect(idsOf(await search('patient=s-pat1&practitioner=s-doc2', pat))).toEqual([ids.d]);
      expect(
        idsOf(await search(`patient=s-pat1&date=ge${day(26 * 60)}&date=lt${day(49 * 60)}`, pat)),
      ).toEqual([ids.c, ids.d]);
      expect(idsOf(await search(`patient=s-pat1&date=gt${day(26 * 60)}`, pat))).toEqual([
        ids.d,
        ids.e,
        ids.f,
      ]);
      expect(idsOf(await search(`patient=s-pat1&date=le${day(26 * 60)}`, pat))).toEqual([ids.a, ids.c]);
      // A day, at a day's precision: 2030-03-06 holds d, e and f (T0 is 2030-03-04T09:00Z).
      expect(idsOf(await search('patient=s-pat1&date=2030-03-06', pat))).toEqual([ids.d, ids.e, ids.f]);
      expect(idsOf(await search('patient=s-pat1&date=ge2030-03&date=lt2030-03-06', pat))).toEqual([
        ids.a,
        ids.c,
      ]);
      expect(idsOf(await search('patient=s-pat1&status=cancelled', pat))).toEqual([ids.f]);
      expect(idsOf(await search('patient=s-pat1&status=pending', pat))).toEqual([ids.e]);
      expect(idsOf(await search('patient=s-pat1&status=booked,pending', pat))).toEqual([
        ids.a,
        ids.c,
        ids.d,
        ids.e,
      ]);
      expect(idsOf(await search('patient=s-pat1&status=fulfilled', pat))).toEqual([]);
      expect(
        idsOf(await search('patient=s-pat1&practitioner=s-doc&status=booked&date=ge2030-03-05', pat)),
      ).toEqual([ids.a, ids.c]);
    });

    it('without a participant, searches the caller’s own visits', async () => {
      expect(idsOf(await search('', { caller: 's-pat2' }))).toEqual([ids.b]);
      expect(idsOf(await search('status=cancelled', { caller: 's-pat1' }))).toEqual([ids.f]);
    });

    it('pages by _count with link[next], each visit once, the last page without next', async () => {
      for (const count of [1, 2, 4, 5]) {
        const walked = await walk(`patient=s-pat1&_count=${count}`, { caller: 's-pat1' });
        expect(walked.ids).toEqual([ids.a, ids.c, ids.d, ids.e, ids.f]);
        expect(walked.pages).toBe(Math.ceil(5 / count));
      }
      const first = await search('patient=s-pat1&_count=2', { caller: 's-pat1' });
      expect(nextOf(first)).toMatch(/^Appointment\?patient=s-pat1&_count=2&_cursor=[A-Za-z0-9_-]+$/);
    });

    it('pages on keys: a visit added before the cursor between pages is neither repeated nor skipped after it', async () => {
      const first = await search('patient=s-pat1&_count=2', { caller: 's-pat1' });
      expect(idsOf(first)).toEqual([ids.a, ids.c]);
      const earlier = await schedule([doctor('s-doc3'), patient('s-pat1')], 23 * 60);
      const rest = await walk((nextOf(first) as string).replace(/^Appointment\?/, ''), { caller: 's-pat1' });
      expect(rest.ids).toEqual([ids.d, ids.e, ids.f]);
      expect((await gateway.rest('DELETE', `/teleconsultation/${earlier}`)).status).toBeLessThan(300);
    });

    it('never returns a visit the caller may not read', async () => {
      // s-pat1 asks for all of s-doc's visits: only their own come back (b is s-pat2's).
      const walked = await walk('practitioner=s-doc&_count=1', { caller: 's-pat1' });
      expect(walked.ids).toEqual([ids.a, ids.c, ids.e, ids.f]);
      expect(walked.ids).not.toContain(ids.b);
      // A stranger sees nothing of anyone's, page after page.
      expect((await walk('patient=s-pat1&_count=1', { caller: 'stranger' })).ids).toEqual([]);
      // Every visit a search returns, its caller may read.
      for (const [caller, query] of [
        ['s-pat1', 'practitioner=s-doc'],
        ['s-pat2', 'practitioner=s-doc'],
        ['s-doc2', 'patient=s-pat1'],
      ] as const) {
        for (const found of idsOf(await search(query, { caller }))) {
          expect((await fhir(`Appointment/${String(found)}`, { caller })).status).toBe(200);
        }
      }
      expect(idsOf(await search('patient=s-pat1', { caller: 's-doc2' }))).toEqual([ids.d]);
    });

    it('lets the back office search by any participant, as its read policy allows', async () => {
      expect(idsOf(await search('practitioner=s-doc', {}))).toEqual([ids.a, ids.b, ids.c, ids.e, ids.f]);
      expect(idsOf(await search('patient=s-pat2', {}))).toEqual([ids.b]);
    });

    it.each([
      ['an unknown parameter', 'subject=s-pat1', 'INVALID_SEARCH_PARAMETER'],
      ['a modifier', 'patient:missing=true', 'INVALID_SEARCH_PARAMETER'],
      ['a repeated patient', 'patient=a&patient=b', 'INVALID_SEARCH_PARAMETER'],
      ['a date that is no date', 'date=ge2030-13-01', 'INVALID_SEARCH_PARAMETER'],
      ['an unsupported date prefix', 'date=sa2030-03-04', 'INVALID_SEARCH_PARAMETER'],
      ['an instant without a time zone', 'date=ge2030-03-04T10:00:00', 'INVALID_SEARCH_PARAMETER'],
      ['an empty date range', 'date=ge2030-03-05&date=lt2030-03-05', 'INVALID_DATE_RANGE'],
      ['a status FHIR does not have', 'status=confirmed', 'INVALID_SEARCH_PARAMETER'],
      ['_count=0', '_count=0', 'PAGE_SIZE_OUT_OF_RANGE'],
      ['_count=101', '_count=101', 'PAGE_SIZE_OUT_OF_RANGE'],
      ['a cursor it did not give', '_cursor=bm9wZQ', 'INVALID_CURSOR'],
    ])('answers 400 with an OperationOutcome to %s', async (_what, query, reason) => {
      const response = await fhir(`Appointment?${query}`, { caller: 's-pat1' });
      expect(response.status).toBe(400);
      expect(fhirProblems(response.json)).toEqual([]);
      expect(response.json).toMatchObject({
        issue: [{ code: 'invalid', diagnostics: expect.stringContaining(reason) }],
      });
    });

    it('answers 401 to an anonymous search, whatever its parameters, and 400 to a back office naming no one', async () => {
      for (const query of ['patient=s-pat1', 'subject=nope']) {
        const response = await fhir(`Appointment?${query}`, { anonymous: true });
        expect(response.status).toBe(401);
        expect(response.json).toMatchObject({ issue: [{ code: 'login' }] });
      }
      const nobody = await fhir('Appointment?status=booked', {});
      expect(nobody.status).toBe(400);
      expect(nobody.json).toMatchObject({
        issue: [{ diagnostics: expect.stringContaining('SEARCH_NEEDS_PARTICIPANT') }],
      });
    });
  });

  describe('what no answer carries', () => {
    it('has no join link, token, Kaleyra address or name in any FHIR answer of this file', async () => {
      // A locked visit (links exist) read and searched by each participant, to scan too.
      gateway.clock.set(T0);
      const id = await schedule([doctor('scan-doc'), patient('scan-pat')], 15);
      gateway.clock.set(Date.parse(inMinutes(10)));
      const record = await gateway.app.storage.teleconsultations.findById(id);
      const links = (record?.participants ?? []).map((p) => p.accessLinkURL);
      expect(links.every((link) => typeof link === 'string' && link.length > 0)).toBe(true);
      for (const caller of ['scan-doc', 'scan-pat']) {
        expect((await fhir(`Appointment/${id}`, { caller })).status).toBe(200);
        expect((await fhir('Appointment', { caller })).status).toBe(200);
      }
      gateway.clock.set(T0);

      const every = answers.map((answer) => answer.text).join('\n');
      expect(answers.length).toBeGreaterThan(50);
      // Each link, its token (the last segment), its host; the sandbox (Kaleyra) itself.
      const secrets = (links as string[]).flatMap((link) => [
        link,
        link.split('/').at(-1) as string,
        new URL(link).host,
      ]);
      for (const secret of [...secrets, gateway.sandbox.url, new URL(gateway.sandbox.url).host]) {
        expect(every).not.toContain(secret);
      }
      expect(every).not.toMatch(/accessLink|access_link|direct-rest-call-handler/i);
      // The fixtures name people "Doctor <id>" and "Patient <id>"; no name is configured to show,
      // and the only displays are those of codes.
      expect(every).not.toMatch(/Doctor |Patient [a-z]/);
      const displays = new Set([...every.matchAll(/"display":"([^"]*)"/g)].map((match) => match[1]));
      expect([...displays].sort()).toEqual([
        'Kaleyra Video',
        'Participation',
        'primary performer',
        'virtual',
      ]);
    });
  });
});
