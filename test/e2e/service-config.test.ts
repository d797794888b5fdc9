import { ServiceConfigDocument, ServiceConfigProviderDocument } from '../generated/graphql.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

describe('serviceConfig over HTTP', () => {
  let gateway: TestGateway;
  afterEach(async () => gateway?.close());

  it('returns the seed default configuration when no file is configured', async () => {
    gateway = await startTestGateway();
    const { serviceConfig } = await gateway.ok(ServiceConfigDocument);
    const allTools = {
      chat: true,
      screenSharing: true,
      fileUpload: true,
      whiteboard: true,
      snapshot: true,
      liveEdit: true,
      livePointer: true,
      presentToEveryone: true,
    };
    expect(serviceConfig).toEqual({
      privileges: {
        basic: { groups: ['customer'], tools: allTools },
        plus: { groups: ['doctor'], tools: allTools },
      },
      theme: {
        light: { primaryColor: '#fff', accentColor: '#480ca8' },
        dark: { primaryColor: '#003049', accentColor: '#d62828' },
      },
      companyLogo: { url: 'https://www.insert.url.it/' },
      groupsWithBackgroundList: [],
      environment: 'sandbox',
      mode: 'window',
    });
  });

  it('names the video provider of new visits and every capability Kaleyra offers', async () => {
    gateway = await startTestGateway();
    const { serviceConfig } = await gateway.ok(ServiceConfigProviderDocument);
    expect(serviceConfig.provider).toEqual({
      name: 'kaleyra',
      capabilities: [
        'COMPANY_SETTINGS',
        'VIRTUAL_BACKGROUNDS',
        'RECORDING',
        'TRANSCRIPTION',
        'UPLOADS_DELETION',
        'SDK_CREDENTIALS',
      ],
    });
  });

  it("returns a custom file's values, tools in camelCase", async () => {
    gateway = await startTestGateway({
      serviceConfigFile: {
        privileges: {
          basic: {
            groups: ['patient', 'caregiver'],
            tools: {
              chat: true,
              screen_sharing: false,
              file_upload: false,
              whiteboard: false,
              snapshot: false,
              live_edit: false,
              live_pointer: false,
              present_to_everyone: false,
            },
          },
          plus: {
            groups: ['clinician'],
            tools: {
              chat: true,
              screen_sharing: true,
              file_upload: true,
              whiteboard: true,
              snapshot: true,
              live_edit: true,
              live_pointer: true,
              present_to_everyone: true,
            },
          },
        },
        environment: 'production',
        theme: { dark: { primaryColor: '#112233', accentColor: '#abcdef' } },
        companyLogo: { url: 'https://cdn.example.org/logo.svg' },
        groupsWithBackgroundList: ['clinician'],
      },
    });
    const { serviceConfig } = await gateway.ok(ServiceConfigDocument);
    expect(serviceConfig.privileges.basic).toEqual({
      groups: ['patient', 'caregiver'],
      tools: {
        chat: true,
        screenSharing: false,
        fileUpload: false,
        whiteboard: false,
        snapshot: false,
        liveEdit: false,
        livePointer: false,
        presentToEveryone: false,
      },
    });
    expect(serviceConfig.privileges.plus.groups).toEqual(['clinician']);
    expect(serviceConfig.theme).toEqual({
      light: null,
      dark: { primaryColor: '#112233', accentColor: '#abcdef' },
    });
    expect(serviceConfig.companyLogo).toEqual({ url: 'https://cdn.example.org/logo.svg' });
    expect(serviceConfig.groupsWithBackgroundList).toEqual(['clinician']);
    expect(serviceConfig.environment).toBe('production');
    expect(serviceConfig.mode).toBeNull();
  });
});
