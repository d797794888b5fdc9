import type { ChangeStream, ChangeStreamInsertDocument, Collection, Db } from 'mongodb';
import type { TeleconsultationEvent } from '../../domain/events.js';
import { ChangeStreamsUnsupportedError } from '../ports.js';
import { type EventDocument, toEvent } from './documents.js';

type InsertStream = ChangeStream<EventDocument, ChangeStreamInsertDocument<EventDocument>>;

/** How long the stream waits before reopening after an error the driver does not resume from. */
const REOPEN_DELAY_MS = 1000;

/**
 * The change stream behind EventStore.watch: every event inserted from now on, by any replica.
 * Resolves with the function that stops watching; rejects with ChangeStreamsUnsupportedError when
 * the server cannot stream changes, before anything is watched.
 */
export async function watchInserts(
  events: Collection<EventDocument>,
  db: Db,
  listener: (event: TeleconsultationEvent, traceparent?: string) => void,
): Promise<() => Promise<void>> {
  // Refuse clearly up front: on a standalone server the stream would fail on its first read.
  const hello = await db.command({ hello: 1 });
  if (typeof hello.setName !== 'string' && hello.msg !== 'isdbgrid')
    throw new ChangeStreamsUnsupportedError();
  await probeChangeStream(events, db);
  let stream: InsertStream | null = null;
  let stopped = false;
  const open = () => {
    stream = events.watch<EventDocument, ChangeStreamInsertDocument<EventDocument>>([
      { $match: { operationType: 'insert' } },
    ]);
    stream.on('change', (change) => {
      try {
        const { traceparent } = change.fullDocument;
        listener(toEvent(change.fullDocument), typeof traceparent === 'string' ? traceparent : undefined);
      } catch {
        // A listener's failure never stops the stream.
      }
    });
    // The driver resumes by itself after resumable errors; anything else reopens the stream
    // from now (events in between are only late for live updates, never lost from the log).
    stream.on('error', () => {
      void stream?.close();
      if (!stopped) setTimeout(open, REOPEN_DELAY_MS).unref();
    });
  };
  open();
  return async () => {
    stopped = true;
    await (stream as InsertStream | null)?.close();
  };
}

/**
 * Opens one change stream on the collection and closes it at once. A replica set can still refuse
 * one (a server or an account without change streams); without this, the stream's first read
 * would fail after start-up, and be reopened every second, in silence, for ever.
 */
async function probeChangeStream(events: Collection<EventDocument>, db: Db): Promise<void> {
  let answer: { cursor?: { id?: unknown } };
  try {
    answer = await db.command({
      aggregate: events.collectionName,
      pipeline: [{ $changeStream: {} }],
      cursor: { batchSize: 0 },
    });
  } catch (error) {
    throw new ChangeStreamsUnsupportedError(refusalOf(error), { cause: error });
  }
  const cursorId = answer.cursor?.id;
  if (cursorId !== undefined && String(cursorId) !== '0') {
    // Best effort: an idle change-stream cursor left behind times out on the server anyway.
    await db.command({ killCursors: events.collectionName, cursors: [cursorId] }).catch(() => {});
  }
}

/** The server's words for a refusal: its code name and message (never the URL, which may hold credentials). */
function refusalOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const codeName = (error as { codeName?: unknown }).codeName;
  return typeof codeName === 'string' ? `${codeName}: ${error.message}` : error.message;
}
