/**
 * Company settings and virtual backgrounds over GraphQL and the original's REST endpoints,
 * against the Kaleyra sandbox: uploads streamed and checked before anything reaches Kaleyra, the
 * settings cache, and join links that follow the company's default background.
 */
import { request as httpRequest } from 'node:http';
import {
  CompanySettingsDocument,
  CreateTeleconsultationDocument,
  DeleteVirtualBackgroundDocument,
  TeleconsultationDocument,
  UpdateCompanySettingsDocument,
  VirtualBackgroundsDocument,
} from '../../generated/graphql.js';
import {
  doctor,
  identityHeaders,
  inMinutes,
  patient,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway.js';
import { JPEG_16X9, PNG_1X1 } from '../../support/images.js';

const PNG = PNG_1X1;
const JPEG = JPEG_16X9;
const HTML = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');
const MB = 1024 * 1024;
const BACK_OFFICE = { headers: { isbackoffice: 'true' } };

interface Upload {
  field?: string;
  name: string;
  data: Buffer;
  type?: string;
}

async function upload(
  gateway: TestGateway,
  files: Upload[],
  headers: Record<string, string> = { isbackoffice: 'true' },
) {
  const form = new FormData();
  for (const file of files) {
    form.append(
      file.field ?? 'virtual_background',
      new Blob([file.data], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
  }
  const response = await fetch(`${gateway.url}/settings/background-image`, {
    method: 'POST',
    headers,
    body: form,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function kaleyraUploads(gateway: TestGateway): number {
  return gateway.sandbox
    .requests()
    .filter((r) => r.method === 'POST' && r.path === '/v2/company/virtual_backgrounds').length;
}

function companyReads(gateway: TestGateway): number {
  return gateway.sandbox.requests().filter((r) => r.method === 'GET' && r.path === '/v2/company').length;
}

describe('POST /settings/background-image (the original, multipart)', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.close());
  beforeEach(() => gateway.sandbox.clearRequests());

  it('uploads a PNG and answers the original body { virtual_background: { background_alias, url, creation_date } }', async () => {
    const response = await upload(gateway, [{ name: 'clinic.png', data: PNG, type: 'image/png' }]);
    expect(response.status).toBe(200);
    expect(Object.keys(response.json)).toEqual(['virtual_background']);
    const background = response.json.virtual_background as Record<string, string>;
    expect(Object.keys(background)).toEqual(['background_alias', 'url', 'creation_date']);
    expect(background.url).toMatch(/^https:\/\//);
    expect(gateway.sandbox.backgrounds().map((b) => b.alias)).toContain(background.background_alias);
  });

  it('judges the type by content: a PNG named .txt is accepted, a JPEG too', async () => {
    expect((await upload(gateway, [{ name: 'notes.txt', data: PNG, type: 'text/plain' }])).status).toBe(200);
    expect((await upload(gateway, [{ name: 'photo.jpg', data: JPEG, type: 'image/jpeg' }])).status).toBe(200);
  });

  it("sends Kaleyra a file name of ours with the content's extension, never the client's", async () => {
    await upload(gateway, [{ name: 'evil.html', data: PNG, type: 'text/html' }]);
    await upload(gateway, [{ name: '../../photo.png', data: JPEG, type: 'image/png' }]);
    const sent = gateway.sandbox
      .requests()
      .filter((r) => r.path === '/v2/company/virtual_backgrounds')
      .map(
        (r) =>
          (r.body as { multipart: { files: Array<{ fileName: string; declaredType: string }> } }).multipart
            .files[0],
      );
    expect(sent).toEqual([
      expect.objectContaining({
        fileName: expect.stringMatching(/^background-[A-Za-z0-9_-]{16}\.png$/),
        declaredType: 'image/png',
      }),
      expect.objectContaining({
        fileName: expect.stringMatching(/^background-[A-Za-z0-9_-]{16}\.jpg$/),
        declaredType: 'image/jpeg',
      }),
    ]);
  });

  it.each([
    [
      'a text file named .png',
      [{ name: 'fake.png', data: Buffer.from('hello, not an image'), type: 'image/png' }],
      400,
      'UNSUPPORTED_IMAGE_TYPE',
    ],
    [
      'an empty file',
      [{ name: 'empty.png', data: Buffer.alloc(0), type: 'image/png' }],
      400,
      'UNSUPPORTED_IMAGE_TYPE',
    ],
    [
      'PNG magic followed by a script',
      [{ name: 'evil.html', data: Buffer.concat([PNG.subarray(0, 8), HTML]), type: 'image/png' }],
      400,
      'INVALID_IMAGE',
    ],
    [
      'JPEG magic followed by HTML',
      [{ name: 'evil.html', data: Buffer.concat([JPEG.subarray(0, 4), HTML]), type: 'image/jpeg' }],
      400,
      'INVALID_IMAGE',
    ],
    [
      'a truncated PNG',
      [{ name: 'cut.png', data: PNG.subarray(0, PNG.length - 12), type: 'image/png' }],
      400,
      'INVALID_IMAGE',
    ],
    [
      'a truncated JPEG',
      [{ name: 'cut.jpg', data: JPEG.subarray(0, JPEG.length - 2), type: 'image/jpeg' }],
      400,
      'INVALID_IMAGE',
    ],
    [
      'a JPEG with an HTML page after its end',
      [{ name: 'photo.jpg', data: Buffer.concat([JPEG, HTML]), type: 'image/jpeg' }],
      400,
      'INVALID_IMAGE',
    ],
    ['no file', [], 400, 'MISSING_FILE'],
    ['a file in another field', [{ field: 'file', name: 'bg.png', data: PNG }], 400, 'MISSING_FILE'],
    [
      'two files',
      [
        { name: 'a.png', data: PNG },
        { name: 'b.png', data: PNG },
      ],
      400,
      'TOO_MANY_FILES',
    ],
    [
      '10 MB + 1 byte',
      [{ name: 'big.png', data: Buffer.concat([PNG, Buffer.alloc(10 * MB + 1 - PNG.length)]) }],
      413,
      'UPLOAD_TOO_LARGE',
    ],
  ] as const)('refuses %s, sending nothing to Kaleyra', async (_what, files, status, reason) => {
    const response = await upload(gateway, [...files]);
    expect(response.status).toBe(status);
    expect(response.json).toMatchObject({
      reason,
      code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT',
      ...(status === 400 && reason.endsWith('IMAGE') ? { field: ['virtual_background'] } : {}),
    });
    expect(kaleyraUploads(gateway)).toBe(0);
  });

  it.each([
    [
      'a body cut off inside the file',
      'multipart/form-data; boundary=XX',
      '--XX\r\ncontent-disposition: form-data; name="virtual_background"; filename="a.png"\r\n\r\n\x89PNG',
    ],
    [
      'no boundary',
      'multipart/form-data',
      '--XX\r\ncontent-disposition: form-data; name="virtual_background"\r\n\r\nx\r\n--XX--\r\n',
    ],
    ['garbage', 'multipart/form-data; boundary=XX', 'garbage'],
    [
      'more fields than an upload',
      'multipart/form-data; boundary=XX',
      `${Array.from({ length: 12 }, (_, i) => `--XX\r\ncontent-disposition: form-data; name="f${i}"\r\n\r\nv\r\n`).join('')}--XX--\r\n`,
    ],
  ])('refuses a malformed form (%s) with 400 MALFORMED_UPLOAD, never a 500', async (_what, type, body) => {
    const response = await fetch(`${gateway.url}/settings/background-image`, {
      method: 'POST',
      headers: { isbackoffice: 'true', 'content-type': type },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'MALFORMED_UPLOAD' });
    expect(kaleyraUploads(gateway)).toBe(0);
  });

  it('cuts a 50 MB body at 10 MB with 413: answered long before the client could send it all', async () => {
    // A 50 MB image streamed a megabyte at a time; the answer must come once 10 MB are read.
    const boundary = 'x-boundary-7f3a';
    const url = new URL(`${gateway.url}/settings/background-image`);
    const outcome = await new Promise<{ status: number; sentBeforeAnswer: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, isbackoffice: 'true' },
        },
        (response) => {
          answered = true;
          resolve({ status: response.statusCode ?? 0, sentBeforeAnswer: sent });
          response.resume();
          request.destroy();
        },
      );
      request.on('error', (error) => (answered ? undefined : reject(error)));
      const chunk = Buffer.alloc(MB, 7);
      const write = async () => {
        const head = `--${boundary}\r\ncontent-disposition: form-data; name="virtual_background"; filename="huge.png"\r\ncontent-type: image/png\r\n\r\n`;
        request.write(Buffer.concat([Buffer.from(head), PNG]));
        for (let i = 0; i < 50 && !answered; i++) {
          sent += chunk.length;
          if (!request.write(chunk)) await new Promise((done) => request.once('drain', done));
          // A client on a real network: slower than loopback, so the answer can overtake it.
          await new Promise((done) => setTimeout(done, 15));
        }
        if (!answered) request.end(`\r\n--${boundary}--\r\n`);
      };
      write().catch(() => undefined);
    });
    expect(outcome.status).toBe(413);
    expect(outcome.sentBeforeAnswer).toBeLessThan(30 * MB);
    expect(kaleyraUploads(gateway)).toBe(0);
  });

  it('refuses a caller who is not the back office with 401, reading nothing', async () => {
    const response = await upload(
      gateway,
      [{ name: 'bg.png', data: PNG }],
      identityHeaders(gateway.config, { caller: 'pat', groups: 'customer' }),
    );
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({
      error: 'Unauthorized user',
      code: 'FORBIDDEN',
      reason: 'POLICY_DENIED',
    });
    expect(kaleyraUploads(gateway)).toBe(0);
  });

  it('refuses a GraphQL request sent as multipart: uploads are REST-only', async () => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: '{ __typename }' }));
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      body: form,
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe('company settings', () => {
  let gateway: TestGateway;
  beforeEach(async () => {
    gateway = await startTestGateway({ env: { COMPANY_SETTINGS_TTL_MS: '60000' } });
  });
  afterEach(async () => gateway?.close());

  async function uploaded(): Promise<string> {
    const response = await upload(gateway, [{ name: 'bg.png', data: PNG }]);
    return (response.json.virtual_background as { background_alias: string }).background_alias;
  }

  it('reads them from Kaleyra at most once per COMPANY_SETTINGS_TTL_MS', async () => {
    for (let i = 0; i < 5; i++) await gateway.ok(CompanySettingsDocument, undefined, { caller: 'anyone' });
    expect(companyReads(gateway)).toBe(1);
    gateway.clock.set(gateway.clock.now().getTime() + 60_000);
    const { companySettings } = await gateway.ok(CompanySettingsDocument, undefined, { caller: 'anyone' });
    expect(companyReads(gateway)).toBe(2);
    expect(companySettings).toMatchObject({
      name: 'Sandbox Company',
      defaultLanguage: 'en',
      defaultBackground: null,
    });
  });

  it('keeps the last known value while Kaleyra fails', async () => {
    await gateway.ok(CompanySettingsDocument, undefined, { caller: 'anyone' });
    gateway.clock.set(gateway.clock.now().getTime() + 120_000);
    gateway.sandbox.injectFault({ method: 'GET', path: '/v2/company', status: 503, times: 'always' });
    const { companySettings } = await gateway.ok(CompanySettingsDocument, undefined, { caller: 'anyone' });
    expect(companySettings.name).toBe('Sandbox Company');
  });

  it('sets the default background (GraphQL), refreshed at once, listed, and deleted idempotently', async () => {
    const alias = await uploaded();
    const reads = companyReads(gateway);
    const { updateCompanySettings } = await gateway.ok(
      UpdateCompanySettingsDocument,
      {
        input: { defaultBackgroundAlias: alias, defaultLanguage: 'it' },
      },
      BACK_OFFICE,
    );
    expect(updateCompanySettings.defaultBackground?.alias).toBe(alias);
    const { companySettings } = await gateway.ok(CompanySettingsDocument, undefined, { caller: 'anyone' });
    expect(companySettings).toMatchObject({ defaultLanguage: 'it', defaultBackground: { alias } });
    expect(companyReads(gateway)).toBe(reads);

    const { virtualBackgrounds } = await gateway.ok(VirtualBackgroundsDocument, undefined, {
      caller: 'anyone',
    });
    expect(virtualBackgrounds.map((b) => b.alias)).toEqual([alias]);
    expect(
      (await gateway.ok(DeleteVirtualBackgroundDocument, { alias }, BACK_OFFICE)).deleteVirtualBackground,
    ).toBe(true);
    expect(
      (await gateway.ok(DeleteVirtualBackgroundDocument, { alias }, BACK_OFFICE)).deleteVirtualBackground,
    ).toBe(false);
    expect(
      (await gateway.ok(CompanySettingsDocument, undefined, { caller: 'anyone' })).companySettings
        .defaultBackground,
    ).toBeNull();
  });

  it('refuses an unknown alias or language before Kaleyra is asked to change anything', async () => {
    gateway.sandbox.clearRequests();
    const unknown = await gateway.request(
      UpdateCompanySettingsDocument,
      { input: { defaultBackgroundAlias: 'bg_nope' } },
      BACK_OFFICE,
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_BACKGROUND',
      field: ['input', 'defaultBackgroundAlias'],
    });
    const language = await gateway.request(
      UpdateCompanySettingsDocument,
      { input: { defaultLanguage: 'klingon' } },
      BACK_OFFICE,
    );
    expect(language.errors?.[0]?.extensions).toMatchObject({ reason: 'UNSUPPORTED_LANGUAGE' });
    expect(gateway.sandbox.requests().filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('PATCH /settings/update sets the default background and answers the original { company } body', async () => {
    const alias = await uploaded();
    const response = await gateway.rest('PATCH', '/settings/update', {
      ...BACK_OFFICE,
      body: { background_alias: alias },
    });
    expect(response.status).toBe(200);
    const company = (response.json as { company: Record<string, unknown> }).company;
    expect(Object.keys(company)).toEqual([
      'name',
      'default_language',
      'default_background',
      'end_call_redirect_url',
      'user_details_provider_url',
      'end_call_redirect_timeout_ms',
    ]);
    expect(company.default_background).toMatchObject({
      alias,
      url: expect.stringMatching(/^https:/),
      creation_date: expect.any(String),
    });
    const refused = await gateway.rest('PATCH', '/settings/update', {
      caller: 'pat',
      groups: 'customer',
      body: { background_alias: alias },
    });
    expect(refused.status).toBe(401);
    const bad = await gateway.rest('PATCH', '/settings/update', {
      ...BACK_OFFICE,
      body: { background_alias: 'bg_nope' },
    });
    expect(bad.json).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_BACKGROUND',
      field: ['background_alias'],
    });
  });
});

describe('join links follow the company', () => {
  let gateway: TestGateway;
  beforeEach(async () => {
    gateway = await startTestGateway({
      serviceConfigFile: {
        privileges: { basic: { groups: ['customer'] }, plus: { groups: ['doctor'] } },
        environment: 'sandbox',
        groupsWithBackgroundList: ['doctor'],
      },
    });
  });
  afterEach(async () => gateway?.close());

  async function lockedVisit(tag: string) {
    const { createTeleconsultation } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor(`${tag}-doc`), patient(`${tag}-pat`)],
      },
    });
    gateway.clock.set(Date.parse(createTeleconsultation.lockedFrom));
    return createTeleconsultation.id;
  }
  const background = async (id: string, caller: string, useBackground?: boolean) => {
    const { teleconsultation } = await gateway.ok(
      TeleconsultationDocument,
      { id, ...(useBackground === undefined ? {} : { useBackground }) },
      { caller },
    );
    return new URL(teleconsultation?.accessLinkURL as string).searchParams.get('virtual_background');
  };

  it('blurs the camera while the company has no default background', async () => {
    const id = await lockedVisit('l1');
    expect(await background(id, 'l1-pat', true)).toBe('blur');
    expect(await background(id, 'l1-doc')).toBe('blur');
    expect(await background(id, 'l1-pat')).toBeNull();
  });

  it("shows the company's image once it has a default background: asked for, or by the caller's group", async () => {
    const id = await lockedVisit('l2');
    const form = await upload(gateway, [{ name: 'bg.png', data: PNG }]);
    const alias = (form.json.virtual_background as { background_alias: string }).background_alias;
    await gateway.ok(
      UpdateCompanySettingsDocument,
      { input: { defaultBackgroundAlias: alias } },
      BACK_OFFICE,
    );
    expect(await background(id, 'l2-pat', true)).toBe('image');
    expect(await background(id, 'l2-doc')).toBe('image');
    expect(await background(id, 'l2-doc', false)).toBeNull();
    expect(await background(id, 'l2-pat')).toBeNull();
  });

  it('keeps handing out links, blurred, when Kaleyra cannot say', async () => {
    const id = await lockedVisit('l3');
    gateway.sandbox.injectFault({ method: 'GET', path: '/v2/company', status: 503, times: 'always' });
    expect(await background(id, 'l3-pat', true)).toBe('blur');
  });
});
