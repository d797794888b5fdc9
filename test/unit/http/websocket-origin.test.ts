import { websocketOriginAllowed } from '../../../src/http/websocket-origin.js';

describe('websocketOriginAllowed', () => {
  it.each([
    ['no Origin (not a browser)', { host: 'gw.example' }, [], true],
    ['the same host', { origin: 'https://gw.example', host: 'gw.example' }, [], true],
    ['a default port on the Host', { origin: 'https://gw.example', host: 'gw.example:443' }, [], true],
    [
      'X-Forwarded-Host with its port, behind a proxy that rewrote Host',
      { origin: 'https://gw.example', host: 'gateway:3000', 'x-forwarded-host': 'gw.example:443' },
      [],
      true,
    ],
    [
      'RFC 7239 Forwarded',
      {
        origin: 'https://gw.example',
        host: 'gateway:3000',
        forwarded: 'for=1.2.3.4;host="gw.example";proto=https',
      },
      [],
      true,
    ],
    [
      'Traefik, which names the scheme of an upgrade wss',
      {
        origin: 'https://gw.example',
        host: 'gw.example',
        'x-forwarded-host': 'gw.example',
        'x-forwarded-proto': 'wss',
      },
      [],
      true,
    ],
    [
      'nginx $host without the port, and X-Forwarded-Port',
      {
        origin: 'https://gw.example:8443',
        host: 'gateway:3000',
        'x-forwarded-host': 'gw.example',
        'x-forwarded-port': '8443',
      },
      [],
      true,
    ],
    [
      'X-Forwarded-Port 443 for a page on the default port',
      {
        origin: 'https://gw.example',
        host: 'gateway:3000',
        'x-forwarded-host': 'gw.example',
        'x-forwarded-port': '443',
      },
      [],
      true,
    ],
    [
      "nginx's X-Forwarded-Port $server_port (its own port, not the client's)",
      {
        origin: 'https://gw.example',
        host: 'gateway:3000',
        'x-forwarded-host': 'gw.example',
        'x-forwarded-port': '80',
        'x-forwarded-proto': 'https',
      },
      [],
      true,
    ],
    [
      'a page on another port of the gateway host (X-Forwarded-Port 8443)',
      {
        origin: 'https://gw.example',
        host: 'gateway:3000',
        'x-forwarded-host': 'gw.example',
        'x-forwarded-port': '8443',
      },
      [],
      false,
    ],
    [
      'an http page on port 80 of a gateway reached on 8080',
      {
        origin: 'http://gw.example',
        host: 'gateway:3000',
        'x-forwarded-host': 'gw.example',
        'x-forwarded-port': '8080',
      },
      [],
      false,
    ],
    [
      'an insecure upgrade (ws) for an https page',
      { origin: 'https://gw.example', host: 'gw.example', 'x-forwarded-proto': 'ws' },
      [],
      false,
    ],
    [
      'another site',
      { origin: 'https://evil.example', host: 'gw.example', 'x-forwarded-host': 'gw.example' },
      [],
      false,
    ],
    [
      'an http page of an https gateway of the same name',
      { origin: 'http://gw.example', host: 'gw.example', 'x-forwarded-proto': 'https' },
      [],
      false,
    ],
    ['Origin null', { origin: 'null', host: 'gw.example' }, [], false],
    [
      'a listed origin',
      { origin: 'https://clinic.example', host: 'gw.example' },
      ['https://clinic.example'],
      true,
    ],
    ['any with *', { origin: 'https://elsewhere.example', host: 'gw.example' }, ['*'], true],
    [
      'a proxy that rewrote Host and forwards nothing (list the frontend)',
      { origin: 'https://gw.example', host: 'gateway:3000' },
      [],
      false,
    ],
  ] as const)('%s → %s', (_case, headers, allowed, expected) => {
    expect(websocketOriginAllowed(headers, allowed)).toBe(expected);
  });
});
