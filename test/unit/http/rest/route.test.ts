/**
 * The route helper every REST route goes through: the request scope with the request's deadline,
 * the command mapped from the request, the answer on success, and on failure the original's error
 * shapes, whose request line and teleconsultation id come from the route definition.
 */
import Fastify, { type FastifyRequest } from 'fastify';
import pino from 'pino';
import { BadUserInputError, NotFoundError, UnauthenticatedError } from '../../../../src/domain/errors.js';
import { UploadTooLargeError } from '../../../../src/http/rest/background-upload.js';
import {
  errorContextOf,
  filledPath,
  type RestApp,
  type RestTypeProvider,
  route,
} from '../../../../src/http/rest/route.js';
import { idParamsSchema } from '../../../../src/http/rest/schemas.js';
import type { RequestScope } from '../../../../src/services/request-scope.js';
import type { Deadline } from '../../../../src/shared/deadline.js';

const logger = pino({ level: 'silent' });
const open: RestApp[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

function scopeOf(request: FastifyRequest, deadline: Deadline): RequestScope {
  return {
    caller: {
      id: String(request.headers['x-user'] ?? ''),
      groups: [],
      isBackoffice: false,
      clientType: null,
    },
    headers: request.headers,
    logger,
    deadline,
  } as unknown as RequestScope;
}

/** A REST app with one route under test, failing (or not) as `run` says. */
async function appWith(
  run: (scope: RequestScope, command: { id: string }) => Promise<string>,
  timeoutMs = 5000,
) {
  const app: RestApp = Fastify({ logger: false }).withTypeProvider<RestTypeProvider>();
  route(
    app,
    { scopeOf, requestTimeoutMs: timeoutMs, policies: { decide: async () => undefined }, allowedOrigins: [] },
    {
      method: 'POST',
      url: '/teleconsultation/:id/notes',
      policy: 'addParticipants',
      schema: { params: idParamsSchema },
      fieldOf: (field) => ['body', ...field],
      command: (request) => ({ id: request.params.id }),
      run,
      answer: (reply, result) => reply.code(201).send({ result }),
    },
  );
  open.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    /** Light-my-request (inject) does not load under Jest's ESM mode: a real request on loopback. */
    post: async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers });
      return { statusCode: response.status, json: (await response.json()) as unknown };
    },
  };
}

describe('route', () => {
  it('runs the command with a scope that carries the caller and the deadline, and sends the answer', async () => {
    const seen: RequestScope[] = [];
    const app = await appWith(async (scope, command) => {
      seen.push(scope);
      return `note on ${command.id}`;
    });
    const response = await app.post('/teleconsultation/42/notes', { 'x-user': 'doc' });
    expect(response.statusCode).toBe(201);
    expect(response.json).toEqual({ result: 'note on 42' });
    expect(seen[0]?.caller.id).toBe('doc');
    expect(seen[0]?.deadline).toBeDefined();
  });

  it("answers a domain error in the original's shape, quoting the route's request line with its ids", async () => {
    const app = await appWith(async () => {
      throw new BadUserInputError('no doctor', { reason: 'NO_PLUS_PARTICIPANT', field: ['participants'] });
    });
    const response = await app.post('/teleconsultation/42/notes');
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({
      error: 'Failed POST /teleconsultation/42/notes: no plus user in room',
      code: 'BAD_USER_INPUT',
      reason: 'NO_PLUS_PARTICIPANT',
      field: ['body', 'participants'],
    });
  });

  it('names the teleconsultation of the path in a not-found answer, and refuses as the original did', async () => {
    const missing = await appWith(async () => {
      throw new NotFoundError('No teleconsultation 42.');
    });
    const notFound = await missing.post('/teleconsultation/42/notes');
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json).toMatchObject({ error: 'Room with id 42 not found on CRUD', code: 'NOT_FOUND' });

    const refused = await appWith(async () => {
      throw new UnauthenticatedError('who are you');
    });
    const unauthorized = await refused.post('/teleconsultation/42/notes');
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.json).toMatchObject({ error: 'Unauthorized user', code: 'UNAUTHENTICATED' });
  });

  it('answers 504 when the deadline stops work that had not begun committing', async () => {
    const app = await appWith(() => new Promise<string>(() => undefined), 5);
    const response = await app.post('/teleconsultation/42/notes');
    expect(response.statusCode).toBe(504);
    expect(response.json).toMatchObject({ code: 'REQUEST_TIMEOUT' });
  });

  it('answers 413 for an upload over its limit, and leaves any other error to the error handler', async () => {
    const tooLarge = await appWith(async () => {
      throw new UploadTooLargeError();
    });
    const response = await tooLarge.post('/teleconsultation/42/notes');
    expect(response.statusCode).toBe(413);
    expect(response.json).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', reason: 'UPLOAD_TOO_LARGE' });

    const broken = await appWith(async () => {
      throw new Error('a bug');
    });
    const crashed = await broken.post('/teleconsultation/42/notes');
    expect(crashed.statusCode).toBe(500);
  });
});

describe('errorContextOf', () => {
  const request = (params: Record<string, string>) => ({ params }) as never;

  it("takes the request line from the route's method and path, ids filled in", () => {
    const context = errorContextOf(
      { method: 'GET', url: '/teleconsultation/:id/history' },
      request({ id: 'v-7' }),
    );
    expect(context).toEqual({ requestLine: 'GET /teleconsultation/v-7/history', teleconsultationId: 'v-7' });
  });

  it("uses the route's own request line where the original's wording differs", () => {
    const context = errorContextOf(
      { method: 'PATCH', url: '/teleconsultation/:id', requestLine: 'PATCH /teleconsultation' },
      request({ id: 'v-7' }),
    );
    expect(context.requestLine).toBe('PATCH /teleconsultation');
    expect(context.teleconsultationId).toBe('v-7');
  });

  it('names no teleconsultation for a route without an id', () => {
    expect(errorContextOf({ method: 'POST', url: '/credentials' }, request({}))).toEqual({
      requestLine: 'POST /credentials',
    });
  });
});

describe('filledPath', () => {
  it('fills every parameter and leaves a missing one as written', () => {
    expect(filledPath('/a/:id/b/:other.ics', { id: '1', other: 'x' })).toBe('/a/1/b/x.ics');
    expect(filledPath('/a/:id', {})).toBe('/a/:id');
  });
});

describe('route: the policy before any refusal of the input', () => {
  const NOTE_BODY = {
    type: 'object',
    required: ['text'],
    properties: {
      text: { type: 'string', minLength: 1 },
      tags: { type: 'array', items: { type: 'string' } },
    },
  } as const;

  /** A route whose policy lets through only the caller `doc`, deciding as AccessControl.decide does. */
  async function guardedApp(command: (body: { text: string }) => { text: string } = (body) => body) {
    const decisions: Array<{ operation: string; targetId: string | null }> = [];
    const runs: string[] = [];
    const app: RestApp = Fastify({ logger: false }).withTypeProvider<RestTypeProvider>();
    route(
      app,
      {
        scopeOf,
        requestTimeoutMs: 5000,
        allowedOrigins: [],
        policies: {
          decide: async (scope, operation, targetId) => {
            decisions.push({ operation, targetId });
            if (scope.caller.id !== 'doc')
              throw new UnauthenticatedError('who are you', { reason: 'NO_CALLER_ID' });
          },
        },
      },
      {
        method: 'PATCH',
        url: '/teleconsultation/:id',
        policy: 'updateTeleconsultation',
        schema: { params: idParamsSchema, body: NOTE_BODY },
        command: (request) => command(request.body),
        run: async (scope, note) => {
          // The service decides first: here, refuse anyone but doc.
          if (scope.caller.id !== 'doc')
            throw new UnauthenticatedError('who are you', { reason: 'NO_CALLER_ID' });
          runs.push(note.text);
          return note.text;
        },
        answer: (reply, text) => reply.code(200).send({ text }),
      },
    );
    open.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    return {
      decisions,
      runs,
      patch: async (caller: string, body: string) => {
        const response = await fetch(`http://127.0.0.1:${port}/teleconsultation/65f0c0ffee0000000000abcd`, {
          method: 'PATCH',
          headers: { 'x-user': caller, 'content-type': 'application/json' },
          body,
        });
        return { statusCode: response.status, json: (await response.json()) as Record<string, unknown> };
      },
    };
  }

  it.each([
    ['a body the schema refuses', '{"text": ""}'],
    ['a body missing a required field', '{}'],
    ['a string that is not well-formed Unicode', '{"text": "q\\ud800"}'],
  ])('answers %s with 401 to a caller the policy refuses, and 400 to one it allows', async (_what, body) => {
    const app = await guardedApp();
    const refused = await app.patch('stranger', body);
    expect(refused.statusCode).toBe(401);
    expect(refused.json).toMatchObject({ error: 'Unauthorized user', code: 'UNAUTHENTICATED' });
    expect(app.decisions).toEqual([
      { operation: 'updateTeleconsultation', targetId: '65f0c0ffee0000000000abcd' },
    ]);

    const allowed = await app.patch('doc', body);
    expect(allowed.statusCode).toBe(400);
    expect(allowed.json).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(app.runs).toEqual([]);
  });

  it("names the field of text that is not well-formed, in the body's terms", async () => {
    const app = await guardedApp();
    const response = await app.patch('doc', '{"text": "ok", "tags": ["a", "b\\udc00"]}');
    expect(response.statusCode).toBe(400);
    expect(response.json).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'ILL_FORMED_TEXT',
      field: ['tags', 1],
    });
  });

  it('decides before answering a refusal of the mapping from body to command', async () => {
    const app = await guardedApp(() => {
      throw new BadUserInputError('not that', { reason: 'IDS_WITHOUT_AUTH_SERVICE', field: ['text'] });
    });
    expect((await app.patch('stranger', '{"text": "x"}')).statusCode).toBe(401);
    const allowed = await app.patch('doc', '{"text": "x"}');
    expect(allowed.statusCode).toBe(400);
    expect(allowed.json).toMatchObject({ reason: 'IDS_WITHOUT_AUTH_SERVICE' });
  });

  it('asks nothing extra of a request whose input is fine: the service decides', async () => {
    const app = await guardedApp();
    expect(await app.patch('doc', '{"text": "hello"}')).toEqual({ statusCode: 200, json: { text: 'hello' } });
    expect((await app.patch('stranger', '{"text": "hello"}')).statusCode).toBe(401);
    expect(app.decisions).toEqual([]);
    expect(app.runs).toEqual(['hello']);
  });
});
