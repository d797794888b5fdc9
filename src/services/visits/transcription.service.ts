import { PassThrough, type Readable } from 'node:stream';
import {
  ConflictError,
  DomainError,
  NotFoundError,
  PayloadTooLargeError,
  UpstreamUnavailableError,
} from '../../domain/errors.js';
import type { StoredTeleconsultation, TeleconsultationStore } from '../../storage/ports.js';
import {
  type TranscriptionPart,
  type TranscriptionStatus,
  type TranscriptionStream,
  VideoNotFoundError,
  VideoNotReadyError,
  type VideoProviders,
  VideoTooLargeError,
} from '../../video/port.js';
import type { AccessControl } from '../access/access-control.js';
import type { RequestScope } from '../request-scope.js';
import { providerOfRecord, requireCapability, upstreamErrorFrom } from '../upstream-errors.js';
import { teleconsultationNotFound } from './teleconsultation-changes.js';
import type { VisitFacts } from './visit-facts.js';

export interface TranscriptionServiceDeps {
  access: AccessControl;
  store: TeleconsultationStore;
  /** Sessions and transcriptions come from the provider hosting the visit's room (TRANSCRIPTION). */
  video: VideoProviders;
  facts: VisitFacts;
  /** TRANSCRIPTION_MAX_FILE_SIZE, in bytes. */
  maxBytes: number;
}

/** Which visit: by its id (GraphQL), or by its Kaleyra room (the original's REST route). */
export type VisitRef = { teleconsultationId: string } | { roomId: string };

export interface TranscriptionQuery {
  visit: VisitRef;
  /** Kaleyra's session id. */
  sessionId: string;
}

/** One meeting in the visit's room, as `Teleconsultation.sessions` lists it. */
export interface VisitSession {
  id: string;
  startedAt: Date;
  endedAt: Date | null;
  transcriptionStatus: TranscriptionStatus;
}

/** A transcription on its way to the caller, its reading already in the audit trail. */
export interface OpenedTranscription {
  teleconsultationId: string;
  /**
   * Kaleyra's JSON bytes, unparsed, at most TRANSCRIPTION_MAX_FILE_SIZE. Fails with a domain error
   * if it breaks off: PAYLOAD_TOO_LARGE (TRANSCRIPTION_TOO_LARGE) once past the limit, else
   * UPSTREAM_UNAVAILABLE. Read it to its end or destroy it: either closes the request to Kaleyra.
   */
  body: Readable;
  /** Kaleyra's declared size, when it declared one. */
  declaredBytes: number | null;
}

/**
 * The sessions of a visit's room and their transcriptions: health data, behind the
 * `transcription` policy (PLUS participants and the back office by default), decided before
 * anything reaches Kaleyra. A transcription is never held whole on the way through: it is
 * streamed from Kaleyra and cut off at TRANSCRIPTION_MAX_FILE_SIZE (the GraphQL answer, which
 * must be one JSON value, holds at most that much). Every reading is a TRANSCRIPTION_READ event
 * (who, which session; never the text), written before the first byte reaches the caller.
 */
export class TranscriptionService {
  constructor(private readonly deps: TranscriptionServiceDeps) {}

  /** The sessions of a visit the caller has already read; none before its room exists or once cancelled. */
  async sessions(scope: RequestScope, record: StoredTeleconsultation): Promise<VisitSession[]> {
    await this.deps.access.recheck(scope, 'transcription', record);
    const transcription = this.transcriptionOf(record);
    if (record.roomId === null || record.state === 'trashed') return [];
    try {
      const sessions = await transcription.listSessions(record.roomId, scope.logger);
      return sessions.map(({ sessionId, ...session }) => ({ id: sessionId, ...session }));
    } catch (error) {
      // The room is gone (deleted on Kaleyra): it holds no sessions any more.
      if (error instanceof VideoNotFoundError) return [];
      throw upstreamErrorFrom(error);
    }
  }

  /**
   * Opens a session's transcription for the caller (REST): the policy on the visit first (an
   * unknown visit is NOT_FOUND only to a caller the policy lets through without one), then
   * Kaleyra's answer, then the audit event; only then is the body handed over, as it comes.
   */
  async open(scope: RequestScope, query: TranscriptionQuery): Promise<OpenedTranscription> {
    const { record, opened } = await this.fetch(scope, query);
    try {
      await this.recordReading(scope, record, query.sessionId);
    } catch (error) {
      opened.body.destroy();
      throw error;
    }
    return {
      teleconsultationId: record.id,
      body: withErrorsMapped(opened.body, (error) => {
        const mapped = this.domainErrorOf(error, query.sessionId);
        // The caller has had part of it already: the answer breaks off, and says why only here.
        scope.logger.warn(
          {
            teleconsultationId: record.id,
            sessionId: query.sessionId,
            reason: mapped instanceof DomainError ? mapped.reason : undefined,
          },
          'transcription cut off mid-answer',
        );
        return mapped;
      }),
      declaredBytes: opened.declaredBytes,
    };
  }

  /**
   * The transcription as one JSON value (GraphQL): read whole first, so never more than the
   * limit is held, and recorded as read once it is about to reach the caller.
   */
  async document(scope: RequestScope, query: TranscriptionQuery): Promise<unknown> {
    const { record, opened } = await this.fetch(scope, query);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of opened.body) chunks.push(chunk as Buffer);
    } catch (error) {
      throw this.domainErrorOf(error, query.sessionId);
    }
    let document: unknown;
    try {
      document = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      // Within the limit, yet longer than a JavaScript string can be (a limit set near 1 GB).
      if ((error as { code?: unknown }).code === 'ERR_STRING_TOO_LONG') throw this.tooLarge(error);
      throw new UpstreamUnavailableError(
        'Kaleyra sent a transcription that is not JSON.',
        { reason: 'KALEYRA_UNAVAILABLE' },
        { cause: error },
      );
    }
    await this.recordReading(scope, record, query.sessionId);
    return document;
  }

  /** The policy, the visit, then Kaleyra's accepted answer (nothing read of its body yet). */
  private async fetch(
    scope: RequestScope,
    query: TranscriptionQuery,
  ): Promise<{ record: StoredTeleconsultation; opened: TranscriptionStream }> {
    const record = await this.target(scope, query.visit);
    if (record.state === 'trashed') throw teleconsultationNotFound(record.id);
    const transcription = this.transcriptionOf(record);
    const { sessionId } = query;
    if (record.roomId === null) throw transcriptionNotFound(sessionId);
    try {
      const opened = await transcription.openTranscription(
        {
          roomId: record.roomId,
          sessionId,
          maxBytes: this.deps.maxBytes,
        },
        scope.logger,
      );
      return { record, opened };
    } catch (error) {
      throw this.domainErrorOf(error, sessionId);
    }
  }

  /** TRANSCRIPTION_READ: from here the read happens, so a deadline that passes now waits for it. */
  private async recordReading(
    scope: RequestScope,
    record: StoredTeleconsultation,
    sessionId: string,
  ): Promise<void> {
    scope.deadline?.beginCommit();
    await this.deps.facts.transcriptionRead(scope, record, sessionId);
    scope.logger.info({ teleconsultationId: record.id, sessionId }, 'transcription handed over');
  }

  private target(scope: RequestScope, visit: VisitRef): Promise<StoredTeleconsultation> {
    const { access, store } = this.deps;
    if ('teleconsultationId' in visit) {
      return access.checkOn(scope, 'transcription', visit.teleconsultationId, (id) => store.findById(id));
    }
    return access.checkOn(
      scope,
      'transcription',
      visit.roomId,
      (roomId) => store.findByRoomId(roomId),
      (roomId) => `teleconsultation in room ${roomId}`,
    );
  }

  /** The TRANSCRIPTION part of the provider hosting the record's room, or the refusal. */
  private transcriptionOf(record: StoredTeleconsultation): TranscriptionPart {
    return requireCapability(providerOfRecord(this.deps.video, record), 'TRANSCRIPTION');
  }

  private domainErrorOf(error: unknown, sessionId: string): unknown {
    if (error instanceof VideoNotFoundError) return transcriptionNotFound(sessionId, error);
    if (error instanceof VideoNotReadyError) {
      return new ConflictError(
        `The transcription of session ${sessionId} is not ready yet; ask again later.`,
        { reason: 'TRANSCRIPTION_NOT_READY' },
        { cause: error },
      );
    }
    if (error instanceof VideoTooLargeError) return this.tooLarge(error);
    return upstreamErrorFrom(error);
  }

  private tooLarge(cause?: unknown): PayloadTooLargeError {
    return new PayloadTooLargeError(
      `The transcription is larger than ${this.deps.maxBytes} bytes (TRANSCRIPTION_MAX_FILE_SIZE).`,
      { reason: 'TRANSCRIPTION_TOO_LARGE' },
      { cause },
    );
  }
}

function transcriptionNotFound(sessionId: string, cause?: unknown): NotFoundError {
  return new NotFoundError(
    `No transcription of session ${sessionId} in this visit's room.`,
    { reason: 'TRANSCRIPTION_NOT_FOUND' },
    { cause },
  );
}

/**
 * The body with the port's errors turned into domain errors, for an entry point that meets them
 * mid-stream. Ending either side ends the other.
 */
function withErrorsMapped(source: Readable, map: (error: unknown) => unknown): Readable {
  const mapped = new PassThrough();
  source.once('error', (error) => {
    const domain = map(error);
    mapped.destroy(domain instanceof Error ? domain : error);
  });
  mapped.once('close', () => source.destroy());
  source.pipe(mapped);
  return mapped;
}
