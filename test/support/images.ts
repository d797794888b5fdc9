import { crc32, deflateSync } from 'node:zlib';

/**
 * Real image bytes for the virtual background uploads: the gateway judges a file by its whole
 * structure (src/shared/image-structure.ts), the sandbox by its first bytes.
 */

/** A 1×1 PNG: signature, IHDR, IDAT, IEND, with valid CRCs. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A 1×1 JPEG (JFIF, arithmetic-coded: the smallest well-formed one), starting FF D8 FF E0. */
export const JPEG_1X1 = Buffer.from(
  [
    'ffd8ffe000104a46494600010101004800480000',
    'ffdb004300030202020202030202020303030304060404040404080606050609080a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f101010',
    'ffc9000b080001000101011100',
    'ffcc000600101005',
    'ffda0008010100003f00d2cf20',
    'ffd9',
  ].join(''),
  'hex',
);

/** A file of exactly `size` bytes that starts like a PNG: the signature decides the type, the length the limit. */
export function pngOfSize(size: number): Buffer {
  const data = Buffer.alloc(size);
  PNG_1X1.copy(data, 0, 0, Math.min(size, PNG_1X1.length));
  return data;
}

/** A 16×9 baseline (Huffman) JFIF JPEG, as jpeg-js 0.4.4 encodes one at quality 75. */
export const JPEG_16X9 = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDIBCQkJDAsMGA0NGDIhHCEyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMv/AABEIAAkAEAMBEQACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AOYsPBvT93+lepVzPzPKy/ONtTprDwb0/d/pXl1cz8z7nL8421OksO1edVPxfL+h01h2ry6p9zl/Q//Z',
  'base64',
);

/** One PNG chunk: length, name, data, CRC of name and data. */
export function pngChunk(name: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(name, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A PNG of `width` × `height` in the given colour type and depth, its pixels all zero (filter
 * byte 0 on every row), with `extra` chunks before the image data.
 */
export function png(options: {
  width: number;
  height: number;
  colorType?: number;
  depth?: number;
  interlace?: 0 | 1;
  extra?: Buffer[];
}): Buffer {
  const { width, height, colorType = 6, depth = 8, interlace = 0, extra = [] } = options;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([depth, colorType, 0, 0, interlace], 8);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType] ?? 4;
  const rowBytes = 1 + Math.ceil((width * channels * depth) / 8);
  const pixels = deflateSync(Buffer.alloc(rowBytes * height));
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    ...(colorType === 3 ? [pngChunk('PLTE', Buffer.from([0, 0, 0, 255, 255, 255]))] : []),
    ...extra,
    pngChunk('IDAT', pixels.subarray(0, 4)),
    pngChunk('IDAT', pixels.subarray(4)),
    pngChunk('IEND'),
  ]);
}
