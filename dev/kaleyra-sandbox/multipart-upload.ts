import type { IncomingMessage } from 'node:http';
// The named export: the package is CommonJS, so under NodeNext its default import types as the module.
import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { VirtualBackgroundType } from '../../src/video/kaleyra/wire.js';

/**
 * Reads a multipart/form-data request as it streams in, for the upload routes. Only the first
 * file's bytes are kept, and never more than the size limit: a larger file stops the reading
 * there (the rest of the request is drained unread), so the sandbox can answer 413 without
 * holding what it refuses. Whether the upload is acceptable is the state's decision; this module
 * only reports what arrived.
 */

/** Magic bytes: an image's type is what its content says, not its name or declared type. */
const SIGNATURES: ReadonlyArray<[VirtualBackgroundType, Buffer]> = [
  ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff])],
  ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
];
const SNIFF_BYTES = Math.max(...SIGNATURES.map(([, signature]) => signature.length));

/** Enough to see "one file or more", without letting a request flood the parser with parts. */
const LIMITS = { files: 2, fields: 16, parts: 32, fieldSize: 1024 };

export function detectImageType(head: Buffer): VirtualBackgroundType | null {
  for (const [type, signature] of SIGNATURES) {
    if (head.length >= signature.length && head.subarray(0, signature.length).equals(signature)) return type;
  }
  return null;
}

export interface ReceivedFile {
  field: string;
  fileName: string;
  /** The part's Content-Type, as the client declared it. */
  declaredType: string;
  /** Bytes read; stops at the limit when `tooLarge`. */
  size: number;
  detectedType: VirtualBackgroundType | null;
  tooLarge: boolean;
  /** The content; kept for the first file only, once it has been read whole. */
  data?: Buffer;
}

export interface ReceivedMultipart {
  files: ReceivedFile[];
  /** Names of the non-file fields; their values are not kept. */
  fields: string[];
  /** More parts or files than the parser reads. */
  partsDropped: boolean;
  /** Why the body could not be parsed (no boundary, cut short). */
  malformed?: string;
  /** The client went away before the body ended: there is nobody to answer. */
  aborted?: true;
}

/** What arrived of the request's multipart body, once it ended, was refused, or was abandoned. */
export function readMultipart(req: IncomingMessage, maxFileBytes: number): Promise<ReceivedMultipart> {
  return new Promise((resolve) => {
    const received: ReceivedMultipart = { files: [], fields: [], partsDropped: false };
    let settled = false;
    const settle = (value: ReceivedMultipart): void => {
      if (settled) return;
      settled = true;
      resolve(value);
    };

    let parser: BusboyInstance;
    try {
      parser = Busboy({
        headers: req.headers as BusboyHeaders,
        limits: { ...LIMITS, fileSize: maxFileBytes },
      });
    } catch (error) {
      req.resume();
      settle({ ...received, malformed: messageOf(error) });
      return;
    }
    // Drain without keeping: the client can finish sending and read the answer on its connection.
    const stopReading = (): void => {
      req.unpipe(parser);
      req.resume();
    };

    parser.on('file', (field, stream, fileName, _encoding, declaredType) => {
      const file: ReceivedFile = {
        field,
        fileName,
        declaredType,
        size: 0,
        detectedType: null,
        tooLarge: false,
      };
      const keep = received.files.length === 0;
      received.files.push(file);
      const chunks: Buffer[] = [];
      let head = Buffer.alloc(0);
      stream.on('data', (chunk: Buffer) => {
        file.size += chunk.length;
        if (head.length < SNIFF_BYTES) {
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
          file.detectedType = detectImageType(head);
        }
        if (keep && !file.tooLarge) chunks.push(chunk);
      });
      stream.on('limit', () => {
        file.tooLarge = true;
        chunks.length = 0;
        stopReading();
        settle(received);
      });
      stream.on('end', () => {
        if (keep && !file.tooLarge) file.data = Buffer.concat(chunks);
      });
      // A body cut short errors the parser too; that is where it is reported.
      stream.on('error', () => {});
    });
    parser.on('field', (name) => {
      received.fields.push(name);
    });
    for (const limit of ['filesLimit', 'partsLimit', 'fieldsLimit'] as const) {
      parser.on(limit, () => {
        received.partsDropped = true;
      });
    }
    parser.on('finish', () => settle(received));
    parser.on('error', (error) => {
      stopReading();
      settle({ ...received, malformed: messageOf(error) });
    });
    req.on('error', () => settle({ ...received, aborted: true }));
    req.on('close', () => {
      if (!req.complete) settle({ ...received, aborted: true });
    });
    req.pipe(parser);
  });
}

/** What the request log keeps of a multipart body: names, sizes and types, never the bytes. */
export function summarizeMultipart(received: ReceivedMultipart): unknown {
  return {
    multipart: {
      files: received.files.map(({ field, fileName, declaredType, size, detectedType, tooLarge }) => ({
        field,
        fileName,
        declaredType,
        size,
        detectedType,
        ...(tooLarge ? { tooLarge } : {}),
      })),
      fields: received.fields,
      ...(received.partsDropped ? { partsDropped: true } : {}),
      ...(received.malformed !== undefined ? { malformed: received.malformed } : {}),
      ...(received.aborted ? { aborted: true } : {}),
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
