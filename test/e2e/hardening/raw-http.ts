import { connect } from 'node:net';
import { inMinutes } from '../../support/gateway.js';

/** What a refusal looks like on the wire, read without assuming a GraphQL body. */
export interface RawResponse {
  status: number;
  body: {
    data?: unknown;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  } & Record<string, unknown>;
  text: string;
}

/** A fetch that does not add what the harness adds (content type, caller), so tests control every header. */
export async function send(url: string, init: RequestInit): Promise<RawResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: RawResponse['body'] = {};
  try {
    body = JSON.parse(text) as RawResponse['body'];
  } catch {
    // Not JSON: the assertions on `body` then fail and `text` shows why.
  }
  return { status: response.status, body, text };
}

/** What the platform's gateway sends for the back office: the default policies let it schedule visits. */
export const AS_BACKOFFICE = { isbackoffice: 'true' };

export function postJson(
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return send(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  });
}

export function codesOf(response: RawResponse): unknown[] {
  return (response.body.errors ?? []).map((error) => error.extensions?.code);
}

/** Variables of a valid createTeleconsultation: accepted, it would call Kaleyra. */
export function createVariables(fullName = 'Doctor doctor-1') {
  return {
    input: {
      startDate: inMinutes(60),
      durationInSeconds: 1800,
      participants: [
        { userId: 'doctor-1', fullName, groups: ['doctor'] },
        { userId: 'patient-1', fullName: 'Patient patient-1', groups: ['customer'] },
      ],
    },
  };
}

/** createTeleconsultation with the given selection on the result. */
export function createMutation(selection: string, name = 'Create'): string {
  return `mutation ${name}($input: CreateTeleconsultationInput!) { createTeleconsultation(input: $input) { ${selection} } }`;
}

/**
 * One HTTP/1.1 request written byte for byte on a socket (repeated headers, odd bytes: what a
 * fetch client would normalise away). Returns the status and the body of the answer.
 */
export function rawExchange(
  baseUrl: string,
  head: string,
  body = '',
): Promise<{ status: number; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(
        `${head}\r\nHost: ${url.host}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const statusLine = text.slice(0, text.indexOf('\r\n'));
      resolve({ status: Number(statusLine.split(' ')[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}
