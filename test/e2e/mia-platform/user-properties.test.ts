/**
 * USER_PROPERTIES_HEADER_KEY names the header holding the caller's properties as JSON, where the
 * configuration file's userIdPathInRequest may read the caller's id; it is one of the identity
 * headers, so a WebSocket's connection_init may carry it in development (a browser cannot set a
 * socket's headers), as it may carry the id header itself.
 */
import { DEFAULT_SERVICE_CONFIG_FILE } from '../../../src/config/service-config.js';
import { CreateTeleconsultationDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { type LiveClient, liveClient } from '../../support/live-client.js';

const PROPERTIES_HEADER = 'x-user-props';
const AS_PATIENT = { [PROPERTIES_HEADER]: JSON.stringify({ customUserId: 'pat-7', locale: 'it' }) };

describe('USER_PROPERTIES_HEADER_KEY', () => {
  let gateway: TestGateway;
  let client: LiveClient | undefined;
  let id: string;
  beforeAll(async () => {
    gateway = await startTestGateway({
      env: { USER_PROPERTIES_HEADER_KEY: 'X-User-Props' },
      serviceConfigFile: {
        ...DEFAULT_SERVICE_CONFIG_FILE,
        userIdPathInRequest: [
          { from: 'object', extract: 'headers' },
          { from: 'object', extract: PROPERTIES_HEADER },
          { from: 'json', extract: 'customUserId' },
        ],
      },
    });
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('doc-7'), patient('pat-7')],
      },
    });
    id = createTeleconsultation.id;
  });
  afterAll(async () => {
    await client?.dispose();
    await gateway?.close();
  });

  it("finds the caller in the header's JSON over HTTP", async () => {
    const read = await gateway.rest('GET', `/teleconsultation/${id}`, {
      anonymous: true,
      headers: AS_PATIENT,
    });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ bandyerUserId: expect.stringContaining('pat-7') });
  });

  it('takes the header from connection_init, as the other identity headers, in development', async () => {
    client = liveClient(gateway.url, { connectionParams: AS_PATIENT });
    const stream = client.subscribe(
      'subscription Live($id: ID!) { teleconsultationChanged(id: $id) { id status } }',
      {
        id,
      },
    );
    const [first] = await stream.waitFor(1);
    expect(first?.errors).toBeUndefined();
    expect(first?.data).toMatchObject({ teleconsultationChanged: { id, status: 'SCHEDULED' } });
  });
});
