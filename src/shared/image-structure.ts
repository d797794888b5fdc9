import { crc32 } from 'node:zlib';
import { imageSize } from 'image-size';

/**
 * Whether bytes are a PNG or a JPEG image, judged by their structure rather than their first
 * bytes: a signature followed by `<script>` or HTML is no image. Two readings must agree:
 * - image-size reads the type and the dimensions from the headers (PNG's IHDR, the JPEG frame
 *   header), as a decoder would start;
 * - a walk of the whole file checks what a header reader does not: every PNG chunk in bounds with
 *   its CRC, IHDR first, the image data in one run, IEND last; every JPEG segment in bounds, a
 *   frame and a scan, EOI last; and nothing after the end (where a second file, an HTML page,
 *   would hide).
 * The pixels themselves are not decoded: that would allocate width × height × 4 bytes for a
 * 10 MB upload we only pass on.
 */

export type ImageType = 'image/png' | 'image/jpeg';

export type ImageVerdict = { type: ImageType; width: number; height: number } | { problem: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SOI = Buffer.from([0xff, 0xd8]);

/** The problem of bytes that do not even begin like a PNG or a JPEG. */
export const NO_SIGNATURE = 'not a PNG or JPEG signature';

export function inspectImage(data: Buffer): ImageVerdict {
  const type = startsWith(data, PNG_SIGNATURE)
    ? 'image/png'
    : startsWith(data, JPEG_SOI)
      ? 'image/jpeg'
      : null;
  if (type === null) return { problem: NO_SIGNATURE };
  const walked = type === 'image/png' ? walkPng(data) : walkJpeg(data);
  if ('problem' in walked) return walked;
  let header: { type?: string | undefined; width?: number | undefined; height?: number | undefined };
  try {
    header = imageSize(data);
  } catch (error) {
    return { problem: `its header does not read: ${(error as Error).message}` };
  }
  const expected = type === 'image/png' ? 'png' : 'jpg';
  if (header.type !== expected || header.width !== walked.width || header.height !== walked.height) {
    return { problem: 'its header and its structure disagree' };
  }
  return { type, width: walked.width, height: walked.height };
}

type Walked = { width: number; height: number } | { problem: string };

const PNG_COLOR_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16], // greyscale
  2: [8, 16], // truecolour
  3: [1, 2, 4, 8], // indexed
  4: [8, 16], // greyscale + alpha
  6: [8, 16], // truecolour + alpha
};
const PNG_CRITICAL_CHUNKS = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);
const MAX_PNG_CHUNK_LENGTH = 2 ** 31 - 1;

/** PNG (ISO/IEC 15948): signature, IHDR, …, IDAT run, …, IEND, every chunk with its CRC. */
function walkPng(data: Buffer): Walked {
  let offset = PNG_SIGNATURE.length;
  let size: { width: number; height: number; colorType: number } | null = null;
  let palette = false;
  let imageData: 'none' | 'in' | 'after' = 'none';
  while (offset < data.length) {
    if (offset + 12 > data.length) return { problem: 'a PNG chunk is cut off' };
    const length = data.readUInt32BE(offset);
    const name = data.toString('latin1', offset + 4, offset + 8);
    if (!/^[A-Za-z]{4}$/.test(name)) return { problem: 'a PNG chunk has no valid name' };
    if (length > MAX_PNG_CHUNK_LENGTH || offset + 12 + length > data.length) {
      return { problem: `PNG chunk ${name} is cut off` };
    }
    const end = offset + 8 + length;
    if (crc32(data.subarray(offset + 4, end)) !== data.readUInt32BE(end)) {
      return { problem: `PNG chunk ${name} fails its CRC` };
    }
    if (size === null && name !== 'IHDR') return { problem: 'the PNG does not begin with IHDR' };
    const body = data.subarray(offset + 8, end);
    offset = end + 4;
    if (name === 'IHDR') {
      if (size !== null) return { problem: 'the PNG has two IHDR chunks' };
      const header = pngHeader(body);
      if ('problem' in header) return header;
      size = header;
    } else if (name === 'PLTE') {
      palette = true;
    } else if (name === 'IDAT') {
      if (imageData === 'after') return { problem: 'the PNG image data is not in one run' };
      imageData = 'in';
    } else if (name === 'IEND') {
      if (length !== 0) return { problem: 'the PNG IEND chunk is not empty' };
      if (imageData === 'none') return { problem: 'the PNG has no image data' };
      if (size?.colorType === 3 && !palette) return { problem: 'the indexed PNG has no palette' };
      if (offset !== data.length) return { problem: 'bytes follow the PNG end (IEND)' };
      return { width: size?.width ?? 0, height: size?.height ?? 0 };
    } else if (PNG_CRITICAL_CHUNKS.has(name) || /^[A-Z]/.test(name)) {
      return { problem: `the PNG has a critical chunk no decoder knows (${name})` };
    }
    if (name !== 'IDAT' && imageData === 'in') imageData = 'after';
  }
  return { problem: 'the PNG ends before IEND' };
}

function pngHeader(body: Buffer): { width: number; height: number; colorType: number } | { problem: string } {
  if (body.length !== 13) return { problem: 'the PNG IHDR chunk has the wrong length' };
  const width = body.readUInt32BE(0);
  const height = body.readUInt32BE(4);
  const [depth = 0, colorType = 0, compression, filter, interlace] = body.subarray(8);
  if (width === 0 || height === 0 || width > MAX_PNG_CHUNK_LENGTH || height > MAX_PNG_CHUNK_LENGTH) {
    return { problem: 'the PNG has no valid dimensions' };
  }
  if (!PNG_COLOR_DEPTHS[colorType]?.includes(depth) || compression !== 0 || filter !== 0 || interlace! > 1) {
    return { problem: 'the PNG IHDR chunk describes no valid image' };
  }
  return { width, height, colorType };
}

/** Every frame marker (SOFn): C0 to CF but DHT (C4), JPG (C8) and DAC (CC). */
function isFrameMarker(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * The frames every browser displays, and image-size reads: Huffman-coded baseline, extended and
 * progressive (SOF0 to SOF2). Arithmetic, lossless and hierarchical JPEGs are not shown everywhere.
 */
const DISPLAYED_FRAMES = new Set([0xc0, 0xc1, 0xc2]);

/** JPEG (ITU T.81): SOI, segments in bounds, one frame, scans of entropy-coded data, EOI last. */
function walkJpeg(data: Buffer): Walked {
  let offset = JPEG_SOI.length;
  let size: { width: number; height: number } | null = null;
  let scanned = false;
  while (offset < data.length) {
    if (data[offset] !== 0xff) return { problem: 'a JPEG segment does not start with a marker' };
    // Any number of 0xFF fill bytes may precede a marker.
    while (data[offset] === 0xff) offset++;
    const marker = data[offset];
    offset++;
    if (marker === undefined) return { problem: 'the JPEG ends in a marker' };
    if (marker === 0xd9) {
      if (size === null || !scanned) return { problem: 'the JPEG ends before a frame and a scan' };
      if (offset !== data.length) return { problem: 'bytes follow the JPEG end (EOI)' };
      return size;
    }
    if (marker === 0x00 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      return { problem: 'the JPEG has a marker out of place' };
    }
    if (offset + 2 > data.length) return { problem: 'a JPEG segment is cut off' };
    const length = data.readUInt16BE(offset);
    if (length < 2 || offset + length > data.length) return { problem: 'a JPEG segment is cut off' };
    const segment = data.subarray(offset + 2, offset + length);
    offset += length;
    if (isFrameMarker(marker)) {
      if (!DISPLAYED_FRAMES.has(marker)) {
        return {
          problem: 'the JPEG is arithmetic-coded, lossless or hierarchical, which not every browser shows',
        };
      }
      if (size !== null) return { problem: 'the JPEG has two frames' };
      if (segment.length < 6) return { problem: 'the JPEG frame header is cut off' };
      const height = segment.readUInt16BE(1);
      const width = segment.readUInt16BE(3);
      if (width === 0 || height === 0) return { problem: 'the JPEG has no valid dimensions' };
      size = { width, height };
    } else if (marker === 0xda) {
      if (size === null) return { problem: 'the JPEG scan comes before its frame' };
      const scanEnd = endOfEntropyCodedData(data, offset);
      if (scanEnd === null) return { problem: 'the JPEG scan data is cut off' };
      offset = scanEnd;
      scanned = true;
    }
  }
  return { problem: 'the JPEG ends before EOI' };
}

/** Where the entropy-coded data after a scan header ends: at the first marker but RSTn and stuffed 0xFF00. */
function endOfEntropyCodedData(data: Buffer, from: number): number | null {
  let offset = from;
  for (;;) {
    const next = data.indexOf(0xff, offset);
    if (next < 0 || next + 1 >= data.length) return null;
    const following = data[next + 1] as number;
    if (following === 0x00 || (following >= 0xd0 && following <= 0xd7) || following === 0xff) {
      offset = next + 1;
      continue;
    }
    return next;
  }
}

function startsWith(data: Buffer, magic: Buffer): boolean {
  return data.length >= magic.length && data.subarray(0, magic.length).equals(magic);
}
