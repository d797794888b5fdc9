import type { IncomingMessage } from 'node:http';

/** What a sandbox reads of one request body at most: 1 MB (more is refused, the socket closed). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A request's body as text; undefined (and the request destroyed) once it passes MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
