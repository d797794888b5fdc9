import { DEFAULT_SERVICE_CONFIG_FILE } from '../../../src/config/service-config.js';
import { CreateCredentialsDocument, ServiceConfigDocument } from '../../generated/graphql.js';
import { type AuthServiceStub, startAuthServiceStub } from '../../support/auth-service-stub.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

/**
 * userIdPathInRequest through the real gateway: the caller is whoever the configured path finds
 * in the request, and a path that cannot be walked means "no caller" (UNAUTHENTICATED where one
 * is needed), never a crash. createCredentials is the probe: it needs a caller and names them.
 */
describe('userIdPathInRequest: who the caller is', () => {
  let stub: AuthServiceStub;
  let gateway: TestGateway | undefined;

  beforeEach(async () => {
    stub = await startAuthServiceStub({
      'patient-7': { name: 'Patient Seven', groups: ['customer'] },
      '12345': { name: 'Numeric Id', groups: ['customer'] },
    });
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    await stub?.close();
  });

  const start = async (userIdPathInRequest: unknown[]) => {
    gateway = await startTestGateway({
      env: { AUTH_SERVICE: stub.url },
      serviceConfigFile: { ...DEFAULT_SERVICE_CONFIG_FILE, userIdPathInRequest },
    });
    return gateway;
  };

  const callerOf = async (gw: TestGateway, headers: Record<string, string>) => {
    const response = await gw.request(CreateCredentialsDocument, {}, { headers });
    if (response.errors?.length) return { error: response.errors[0]?.extensions };
    return { kaleyraUserId: response.data?.createCredentials.kaleyraUserId };
  };

  const NO_CALLER = {
    error: { code: 'UNAUTHENTICATED', reason: 'NO_CALLER_ID', operation: 'createCredentials' },
  };

  describe('object steps (the default: headers, then USERID_HEADER_KEY)', () => {
    it('reads the caller from the configured header', async () => {
      gateway = await startTestGateway({ env: { AUTH_SERVICE: stub.url, USERID_HEADER_KEY: 'x-user' } });
      expect(await callerOf(gateway, { 'x-user': 'patient-7' })).toEqual({ kaleyraUserId: 'tg.patient-7' });
    });

    it('means no caller when the header is missing', async () => {
      gateway = await startTestGateway({ env: { AUTH_SERVICE: stub.url, USERID_HEADER_KEY: 'x-user' } });
      expect(await callerOf(gateway, { miauserid: 'patient-7' })).toEqual(NO_CALLER);
    });

    it('means no caller when the header is empty', async () => {
      gateway = await startTestGateway({ env: { AUTH_SERVICE: stub.url } });
      expect(await callerOf(gateway, { miauserid: '' })).toEqual(NO_CALLER);
    });
  });

  describe('json steps', () => {
    const PATH = [
      { from: 'object', extract: 'headers' },
      { from: 'object', extract: 'miauserproperties' },
      { from: 'json', extract: 'customUserId' },
    ];

    it('reads the caller from a property of a JSON header', async () => {
      const gw = await start(PATH);
      expect(await callerOf(gw, { miauserproperties: '{"customUserId":"patient-7","locale":"it"}' })).toEqual(
        {
          kaleyraUserId: 'tg.patient-7',
        },
      );
    });

    it('accepts a numeric id', async () => {
      const gw = await start(PATH);
      expect(await callerOf(gw, { miauserproperties: '{"customUserId":12345}' })).toEqual({
        kaleyraUserId: 'tg.12345',
      });
      expect(stub.callsFor('12345')).toBe(1);
    });

    it('means no caller when the header is not valid JSON, and keeps serving', async () => {
      const gw = await start(PATH);
      expect(await callerOf(gw, { miauserproperties: '{customUserId:' })).toEqual(NO_CALLER);
      expect((await gw.request(ServiceConfigDocument)).status).toBe(200);
    });

    it('means no caller when the property has the wrong type', async () => {
      const gw = await start(PATH);
      expect(await callerOf(gw, { miauserproperties: '{"customUserId":{"id":"patient-7"}}' })).toEqual(
        NO_CALLER,
      );
      expect(await callerOf(gw, { miauserproperties: '{"customUserId":true}' })).toEqual(NO_CALLER);
    });

    it('means no caller when the JSON header is missing', async () => {
      const gw = await start(PATH);
      expect(await callerOf(gw, {})).toEqual(NO_CALLER);
    });
  });

  describe('array steps', () => {
    const PATH = [
      { from: 'object', extract: 'headers' },
      { from: 'object', extract: 'x-identities' },
      { from: 'json', extract: 'ids' },
      { from: 'array', extract: 1 },
    ];

    it('reads the caller from an item of an array', async () => {
      const gw = await start(PATH);
      expect(await callerOf(gw, { 'x-identities': '{"ids":["tenant-1","patient-7"]}' })).toEqual({
        kaleyraUserId: 'tg.patient-7',
      });
    });

    it('means no caller when the index is out of range', async () => {
      const gw = await start(PATH);
      expect(await callerOf(gw, { 'x-identities': '{"ids":["tenant-1"]}' })).toEqual(NO_CALLER);
    });

    it('means no caller when the value is not an array', async () => {
      const gw = await start(PATH);
      expect(await callerOf(gw, { 'x-identities': '{"ids":"tenant-1,patient-7"}' })).toEqual(NO_CALLER);
    });
  });
});
