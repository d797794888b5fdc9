import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { type Collection, type Db, type Document, Long, MongoServerError } from 'mongodb';
import type { EventDocument } from '../../../src/storage/mongo/documents.js';
import { watchInserts } from '../../../src/storage/mongo/event-stream.js';
import { ChangeStreamsUnsupportedError } from '../../../src/storage/ports.js';

/**
 * The watch's start, over a scripted server: what it asks before watching, and what it does with
 * the answers. The streaming itself is the contract suite's (test/integration/storage/).
 */

interface ScriptedServer {
  db: Db;
  events: Collection<EventDocument>;
  commands: Document[];
  /** The change streams opened with `watch`. */
  streams: Array<EventEmitter & { closed: boolean }>;
}

function scriptedServer(answer: (command: Document) => Document): ScriptedServer {
  const commands: Document[] = [];
  const streams: ScriptedServer['streams'] = [];
  const db = {
    command: async (command: Document) => {
      commands.push(command);
      return answer(command);
    },
  } as unknown as Db;
  const events = {
    collectionName: 'teleconsultation_events',
    watch: () => {
      const stream = Object.assign(new EventEmitter(), {
        closed: false,
        close: async () => {
          stream.closed = true;
        },
      });
      streams.push(stream);
      return stream;
    },
  } as unknown as Collection<EventDocument>;
  return { db, events, commands, streams };
}

const REPLICA_SET = { setName: 'rs0', isWritablePrimary: true };

describe('watching the event log', () => {
  it('refuses a standalone server before opening anything', async () => {
    const server = scriptedServer(() => ({ isWritablePrimary: true }));

    await expect(watchInserts(server.events, server.db, () => {})).rejects.toThrow(
      /which a standalone server does not offer/,
    );
    expect(server.commands).toEqual([{ hello: 1 }]);
    expect(server.streams).toEqual([]);
  });

  it('refuses, with the server’s reason, a replica set that will not open a change stream', async () => {
    // What the emulator of `npm run test:mongo` answers; an account without the changeStream
    // privilege gets Unauthorized the same way.
    const refusal = new MongoServerError({
      message: 'unsupported aggregation stage: $changeStream',
      code: 238,
      codeName: 'NotImplemented',
    });
    const server = scriptedServer((command) => {
      if (command.hello) return REPLICA_SET;
      throw refusal;
    });

    const error = await watchInserts(server.events, server.db, () => {}).then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(ChangeStreamsUnsupportedError);
    expect((error as Error).message).toContain(
      'the server refused to open one (NotImplemented: unsupported aggregation stage: $changeStream)',
    );
    expect((error as Error).cause).toBe(refusal);
    // Nothing left watching (and retrying) behind the refusal.
    expect(server.streams).toEqual([]);
  });

  it('opens one probe cursor and closes it, then watches until stopped', async () => {
    const server = scriptedServer((command) => {
      if (command.hello) return REPLICA_SET;
      if (command.aggregate) return { cursor: { id: Long.fromNumber(42), firstBatch: [] }, ok: 1 };
      return { ok: 1 };
    });

    const stop = await watchInserts(server.events, server.db, () => {});

    expect(server.commands).toEqual([
      { hello: 1 },
      {
        aggregate: 'teleconsultation_events',
        pipeline: [{ $changeStream: {} }],
        cursor: { batchSize: 0 },
      },
      { killCursors: 'teleconsultation_events', cursors: [Long.fromNumber(42)] },
    ]);
    expect(server.streams).toHaveLength(1);
    await stop();
    expect(server.streams[0]?.closed).toBe(true);
  });
});
