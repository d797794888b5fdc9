import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Clock } from '../../src/domain/clock.js';
import {
  KALEYRA_SESSION_ID_PATTERN,
  TRANSCRIPTION_MEDIA_TYPE,
  TRANSCRIPTION_NOT_READY_STATUS,
  TRANSCRIPTION_STATUSES,
  type WireErrorBody,
  type WireSession,
  type WireSessionList,
  type WireTranscriptionStatus,
} from '../../src/video/kaleyra/wire.js';
import type { SandboxReply } from './state.js';

/**
 * The rooms' sessions and their transcriptions (docs/specs/kaleyra-contract.md, sessions and
 * transcriptions). Tests add sessions through the control API; a transcription is written as a
 * stream of exactly the size asked for, generated while it is sent: a 60 MB one is never held in
 * memory here either.
 */

/** How a transcription is sent: with its length, or chunked with none (so a client must count). */
export const CONTENT_LENGTH_MODES = ['declared', 'omitted'] as const;

/** Body of `POST /__sandbox/rooms/:room_id/sessions`. Without `transcription`, none was made. */
export const addSessionRequestSchema = z.strictObject({
  session_id: z.string().regex(KALEYRA_SESSION_ID_PATTERN).optional(),
  start_date: z.iso.datetime({ offset: true }).optional(),
  end_date: z.iso.datetime({ offset: true }).nullable().optional(),
  transcription: z
    .strictObject({
      status: z.enum(TRANSCRIPTION_STATUSES).default('completed'),
      /** The exact size of the document, in bytes; default about 2 KB. */
      size_bytes: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
      language: z.string().min(2).max(16).default('en'),
      /** What every segment says (repeated to fill it): plain ASCII, no quotes or backslashes. */
      segment_text: z
        .string()
        .regex(/^[A-Za-z0-9 .,;:!?'()-]{1,200}$/)
        .optional(),
      content_length: z.enum(CONTENT_LENGTH_MODES).default('declared'),
    })
    .optional(),
});
export type AddSessionRequest = z.input<typeof addSessionRequestSchema>;

/** A session as the sandbox keeps it; its transcription is a recipe, never bytes. */
export interface SandboxSession {
  sessionId: string;
  roomId: string;
  startDate: Date;
  endDate: Date | null;
  transcriptionStatus: WireTranscriptionStatus;
  transcription: {
    sizeBytes: number;
    language: string;
    segmentText: string;
    contentLength: (typeof CONTENT_LENGTH_MODES)[number];
  } | null;
  /**
   * Transcription bytes generated for clients so far, all requests together. The generator runs
   * only as fast as clients read, so after a client aborts, this stays far below the size.
   */
  servedBytes: number;
}

/** A reply whose body is a stream (the transcription), beside the JSON replies. */
export interface SandboxStreamReply {
  status: number;
  contentType: string;
  /** Null: sent chunked, without a content-length. */
  contentLength: number | null;
  body: Readable;
}

const DEFAULT_SIZE_BYTES = 2048;
const DEFAULT_SEGMENT_TEXT = 'The patient reports feeling better since the last visit.';
/** Each segment but the last is this long, once serialised. */
const SEGMENT_BYTES = 1024;
/** The stream hands out the document in pieces of about this size. */
const PIECE_BYTES = 64 * 1024;

function error(status: number, code: string, message: string): SandboxReply {
  return { status, body: { error: code, message } satisfies WireErrorBody };
}

export class SandboxSessions {
  private readonly byRoom = new Map<string, SandboxSession[]>();

  constructor(private readonly clock: Clock) {}

  /** Control API: a session in `roomId` (which the caller has checked exists). */
  add(roomId: string, body: unknown): SandboxReply {
    const parsed = addSessionRequestSchema.safeParse(body);
    if (!parsed.success) return error(400, 'invalid_session', parsed.error.issues[0]?.message ?? 'invalid');
    const request = parsed.data;
    const sessions = this.byRoom.get(roomId) ?? [];
    const sessionId = request.session_id ?? `s_${randomBytes(8).toString('hex')}`;
    if (sessions.some((session) => session.sessionId === sessionId))
      return error(409, 'session_exists', `Session ${sessionId} exists in room ${roomId}`);
    const now = this.clock.now();
    const made = request.transcription;
    const session: SandboxSession = {
      sessionId,
      roomId,
      startDate: request.start_date ? new Date(request.start_date) : now,
      endDate:
        request.end_date === undefined ? now : request.end_date === null ? null : new Date(request.end_date),
      transcriptionStatus: made?.status ?? 'none',
      transcription:
        made === undefined
          ? null
          : {
              sizeBytes: made.size_bytes ?? DEFAULT_SIZE_BYTES,
              language: made.language,
              segmentText: made.segment_text ?? DEFAULT_SEGMENT_TEXT,
              contentLength: made.content_length,
            },
      servedBytes: 0,
    };
    const smallest = session.transcription ? smallestDocument(session) : 0;
    if (session.transcription && session.transcription.sizeBytes < smallest)
      return error(400, 'invalid_session', `size_bytes must be at least ${smallest} for this session`);
    sessions.push(session);
    this.byRoom.set(roomId, sessions);
    return { status: 201, body: toWire(session) };
  }

  /** GET /v2/rooms/:room_id/sessions (the room exists). */
  list(roomId: string): SandboxReply {
    const reply: WireSessionList = { sessions: (this.byRoom.get(roomId) ?? []).map(toWire) };
    return { status: 200, body: reply };
  }

  /** GET …/sessions/:session_id/transcription (the room exists). */
  transcription(roomId: string, sessionId: string): SandboxReply | SandboxStreamReply {
    const session = this.byRoom.get(roomId)?.find((candidate) => candidate.sessionId === sessionId);
    if (session === undefined)
      return error(404, 'session_not_found', `Session ${sessionId} does not exist in room ${roomId}`);
    if (session.transcriptionStatus === 'processing')
      return {
        status: TRANSCRIPTION_NOT_READY_STATUS,
        body: { error: 'transcription not ready', message: `Session ${sessionId} is being transcribed` },
      };
    if (session.transcriptionStatus !== 'completed' || session.transcription === null)
      return error(404, 'transcription_not_found', `Session ${sessionId} has no transcription`);
    const { sizeBytes, contentLength } = session.transcription;
    return {
      status: 200,
      contentType: `${TRANSCRIPTION_MEDIA_TYPE}; charset=utf-8`,
      contentLength: contentLength === 'declared' ? sizeBytes : null,
      body: Readable.from(transcriptionPieces(session)),
    };
  }

  /** Snapshots. */
  sessions(): SandboxSession[] {
    return [...this.byRoom.values()].flat().map((session) => structuredClone(session));
  }
}

function toWire(session: SandboxSession): WireSession {
  return {
    session_id: session.sessionId,
    room_id: session.roomId,
    start_date: session.startDate.toISOString(),
    end_date: session.endDate?.toISOString() ?? null,
    transcription_status: session.transcriptionStatus,
  };
}

/** The document's opening and closing, around its segments. */
function frame(session: SandboxSession): { head: string; tail: string } {
  const { sessionId, roomId, transcription } = session;
  return {
    head: `{"session_id":${JSON.stringify(sessionId)},"room_id":${JSON.stringify(roomId)},"language":${JSON.stringify(transcription?.language ?? 'en')},"segments":[`,
    tail: ']}',
  };
}

/** Segment `index` with a text of `textBytes` ASCII characters (a leading comma after the first). */
function segment(index: number, phrase: string, textBytes: number): string {
  const text = phrase.repeat(Math.ceil(textBytes / phrase.length) || 0).slice(0, textBytes);
  const start = index * 5000;
  return `${index === 0 ? '' : ','}{"user_id":"speaker-${index % 2}","start_ms":${start},"end_ms":${start + 4000},"text":"${text}"}`;
}

function segmentOverhead(index: number): number {
  return segment(index, 'x', 0).length;
}

/** The smallest document with one segment; an exact size below it cannot be written. */
function smallestDocument(session: SandboxSession): number {
  const { head, tail } = frame(session);
  return Buffer.byteLength(head) + Buffer.byteLength(tail) + segmentOverhead(0);
}

/**
 * The document, exactly `sizeBytes` long, as it is written: segments of SEGMENT_BYTES, the last
 * one taking what is left, handed out in pieces of about PIECE_BYTES as the reader asks for them.
 */
function* transcriptionPieces(session: SandboxSession): Generator<Buffer> {
  const transcription = session.transcription;
  if (transcription === null) return;
  const { head, tail } = frame(session);
  const serve = (text: string): Buffer => {
    const piece = Buffer.from(text);
    session.servedBytes += piece.length;
    return piece;
  };
  let remaining = transcription.sizeBytes - Buffer.byteLength(head) - Buffer.byteLength(tail);
  let piece = head;
  for (let index = 0; remaining > 0; index++) {
    const overhead = segmentOverhead(index);
    // The last segment takes the rest whenever another full one would not leave room for a next.
    const last = remaining - SEGMENT_BYTES < segmentOverhead(index + 1) + 1;
    const total = last ? remaining : SEGMENT_BYTES;
    piece += segment(index, transcription.segmentText, total - overhead);
    remaining -= total;
    if (piece.length >= PIECE_BYTES) {
      yield serve(piece);
      piece = '';
    }
  }
  yield serve(piece + tail);
}
