/**
 * Names in the FHIR view only when the configuration says so (`fhir.participantNames: true`):
 * then `actor.display` carries each participant's stored name, and the answer stays valid FHIR.
 */
import {
  FHIR_VALIDATION_SETUP_MS,
  fhirProblems,
  prepareFhirValidation,
} from '../../support/fhir-validation.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';

describe('the FHIR view with fhir.participantNames: true', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    prepareFhirValidation();
    gateway = await startTestGateway({
      serviceConfigFile: {
        privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
        environment: 'sandbox',
        fhir: { participantNames: true },
      },
    });
  }, FHIR_VALIDATION_SETUP_MS);
  afterAll(async () => gateway?.close());

  it('shows each participant’s name as actor.display, in reads and searches', async () => {
    const created = await gateway.rest('POST', '/teleconsultation', {
      body: {
        participants: { number: 2, data: [doctor('named-doc'), patient('named-pat')] },
        start_date: inMinutes(60),
        duration_in_seconds: 1800,
      },
    });
    const id = (created.json as { roomId: string }).roomId;
    const read = await gateway.rest('GET', `/fhir/R4/Appointment/${id}`, { caller: 'named-pat' });
    expect(read.status).toBe(200);
    expect(fhirProblems(read.json)).toEqual([]);
    expect((read.json as { participant: Array<{ actor: unknown }> }).participant.map((p) => p.actor)).toEqual(
      [
        { reference: 'Practitioner/named-doc', display: 'Doctor named-doc' },
        { reference: 'Patient/named-pat', display: 'Patient named-pat' },
      ],
    );
    const found = await gateway.rest('GET', '/fhir/R4/Appointment?practitioner=named-doc', {
      caller: 'named-doc',
    });
    expect(fhirProblems(found.json)).toEqual([]);
    expect(found.text).toContain('"display":"Patient named-pat"');
  });
});
