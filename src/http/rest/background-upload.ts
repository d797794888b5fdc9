import type { FastifyRequest } from 'fastify';
import { BadUserInputError } from '../../domain/errors.js';
import type { UploadedImage } from '../../services/settings/company-settings.service.js';
import { inspectImage, NO_SIGNATURE } from '../../shared/image-structure.js';

/** Kaleyra takes backgrounds of at most 10 MB. */
export const MAX_BACKGROUND_BYTES = 10 * 1024 * 1024;
/** The original's form field. */
export const BACKGROUND_FIELD = 'virtual_background';

/** A refusal that is not a domain error: the body was larger than an upload may be. */
export class UploadTooLargeError extends Error {
  constructor() {
    super(`The image is larger than ${MAX_BACKGROUND_BYTES} bytes (10 MB).`);
    this.name = 'UploadTooLargeError';
  }
}

/**
 * The one image of a `multipart/form-data` upload, in field `virtual_background`. The size limit is
 * enforced while reading (busboy stops at 10 MB and the read fails: a 50 MB body is never held
 * whole), and the file is judged by its whole structure (shared/image-structure.ts: a PNG or a
 * JPEG that reads from its signature to its end), not by its first bytes, its name or the type
 * the client declares: a text file named `.png` is refused, and so is PNG magic followed by a
 * script; a PNG named `.txt` is accepted. The client's file name is dropped here (the service
 * names the file). Nothing here calls Kaleyra: a refused upload sends nothing.
 */
export async function readBackgroundImage(request: FastifyRequest): Promise<UploadedImage> {
  let data: Buffer | null = null;
  try {
    for await (const part of request.files({ limits: { fileSize: MAX_BACKGROUND_BYTES, files: 1 } })) {
      if (part.fieldname !== BACKGROUND_FIELD) {
        part.file.resume();
        throw new BadUserInputError(
          `The image goes in the ${BACKGROUND_FIELD} field, not ${JSON.stringify(part.fieldname)}.`,
          {
            reason: 'MISSING_FILE',
            field: [BACKGROUND_FIELD],
          },
        );
      }
      data = await readAtMost(part.file);
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new UploadTooLargeError();
    if (code === 'FST_FILES_LIMIT') {
      throw new BadUserInputError('Upload one image at a time.', {
        reason: 'TOO_MANY_FILES',
        field: [BACKGROUND_FIELD],
      });
    }
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      throw new BadUserInputError(
        `Send the image as multipart/form-data, in the ${BACKGROUND_FIELD} field.`,
        {
          reason: 'MISSING_FILE',
          field: [BACKGROUND_FIELD],
        },
      );
    }
    if (error instanceof BadUserInputError || error instanceof UploadTooLargeError) throw error;
    // Everything else in here is the form itself (busboy: no boundary, a part cut off, an
    // unexpected end; @fastify/multipart: too many fields or parts): the client's mistake.
    throw new BadUserInputError(
      `The multipart/form-data body could not be read: ${String((error as Error).message ?? error).slice(0, 200)}.`,
      { reason: 'MALFORMED_UPLOAD', field: [BACKGROUND_FIELD] },
    );
  }
  if (!data) {
    throw new BadUserInputError(`No image in the ${BACKGROUND_FIELD} field.`, {
      reason: 'MISSING_FILE',
      field: [BACKGROUND_FIELD],
    });
  }
  return judgedImage(data);
}

/** The bytes as a PNG or a JPEG, or the refusal that says why they are none. */
function judgedImage(data: Buffer): UploadedImage {
  const verdict = inspectImage(data);
  if ('type' in verdict) return { contentType: verdict.type, data };
  if (verdict.problem === NO_SIGNATURE) {
    throw new BadUserInputError(
      'The file is not a JPEG or PNG image (judged by its content, not its name).',
      { reason: 'UNSUPPORTED_IMAGE_TYPE', field: [BACKGROUND_FIELD] },
    );
  }
  throw new BadUserInputError(`The file starts like an image but is not one: ${verdict.problem}.`, {
    reason: 'INVALID_IMAGE',
    field: [BACKGROUND_FIELD],
  });
}

/**
 * The file's bytes, refused the moment they pass the limit. busboy only marks an oversized file
 * truncated once it has read (and dropped) all of it; stopping at its 'limit' event instead
 * answers at 10 MB, and the route closes the connection rather than read the rest.
 */
function readAtMost(file: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    file.on('data', (chunk: Buffer) => chunks.push(chunk));
    file.once('limit', () => {
      chunks.length = 0;
      reject(new UploadTooLargeError());
    });
    file.once('error', reject);
    file.once('end', () => resolve(Buffer.concat(chunks)));
  });
}
