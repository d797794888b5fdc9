/**
 * An upload is an image when its whole structure is one: the signature alone is not enough
 * (PNG magic + `<script>`, JPEG magic + HTML), nor is a file cut short, nor one with a second
 * file after its end.
 */
import { inspectImage } from '../../../src/shared/image-structure.js';
import { JPEG_1X1, JPEG_16X9, PNG_1X1, PNG_SIGNATURE, png, pngChunk } from '../../support/images.js';

const HTML = Buffer.from('<html><script>fetch("/steal?c=" + document.cookie)</script></html>');

/** A JPEG with `scanBytes` as the entropy-coded data of its only scan. */
function jpegWithScan(scanBytes: Buffer): Buffer {
  const sofStart = JPEG_16X9.indexOf(Buffer.from([0xff, 0xda]));
  const scanHeaderLength = JPEG_16X9.readUInt16BE(sofStart + 2);
  const head = JPEG_16X9.subarray(0, sofStart + 2 + scanHeaderLength);
  return Buffer.concat([head, scanBytes, Buffer.from([0xff, 0xd9])]);
}

describe('inspectImage: PNG', () => {
  it.each([
    ['a 1×1 RGBA PNG', PNG_1X1, 1, 1],
    ['an indexed PNG with its palette', png({ width: 12, height: 7, colorType: 3, depth: 4 }), 12, 7],
    [
      'a 16-bit greyscale interlaced PNG',
      png({ width: 5, height: 3, colorType: 0, depth: 16, interlace: 1 }),
      5,
      3,
    ],
    [
      'a PNG with ancillary chunks (text, physical size)',
      png({
        width: 4,
        height: 4,
        extra: [pngChunk('tEXt', Buffer.from('Comment\0clinic')), pngChunk('pHYs', Buffer.alloc(9))],
      }),
      4,
      4,
    ],
  ])('accepts %s, with its dimensions', (_what, data, width, height) => {
    expect(inspectImage(data)).toEqual({ type: 'image/png', width, height });
  });

  it.each([
    ['PNG magic followed by a script', Buffer.concat([PNG_SIGNATURE, HTML])],
    ['a PNG cut off inside its image data', PNG_1X1.subarray(0, PNG_1X1.length - 20)],
    ['a PNG cut off before IEND', PNG_1X1.subarray(0, PNG_1X1.length - 12)],
    ['a PNG with HTML after IEND', Buffer.concat([PNG_1X1, HTML])],
    [
      'a PNG whose chunk fails its CRC',
      Buffer.from(PNG_1X1.map((byte, index) => (index === 40 ? byte ^ 1 : byte))),
    ],
    ['a PNG with no image data', Buffer.concat([PNG_1X1.subarray(0, 33), pngChunk('IEND')])],
    [
      'a PNG whose image data is split by another chunk',
      Buffer.concat([
        PNG_1X1.subarray(0, 33),
        pngChunk('IDAT', Buffer.from([0x78])),
        pngChunk('tEXt', Buffer.from('a\0b')),
        pngChunk('IDAT', Buffer.from([0x9c])),
        pngChunk('IEND'),
      ]),
    ],
    [
      'a PNG with an unknown critical chunk',
      png({ width: 2, height: 2, extra: [pngChunk('XXXX', Buffer.alloc(3))] }),
    ],
    ['a PNG of width 0', png({ width: 0, height: 2 })],
    ['a PNG of an impossible depth', png({ width: 2, height: 2, colorType: 2, depth: 4 })],
    ['a PNG that does not begin with IHDR', Buffer.concat([PNG_SIGNATURE, pngChunk('IEND')])],
  ])('refuses %s', (_what, data) => {
    expect(inspectImage(data)).toEqual({ problem: expect.any(String) });
  });

  it('refuses an indexed PNG without its palette', () => {
    const indexed = png({ width: 2, height: 2, colorType: 3, depth: 8 });
    const plte = indexed.indexOf(Buffer.from('PLTE')) - 4;
    const withoutPalette = Buffer.concat([indexed.subarray(0, plte), indexed.subarray(plte + 12 + 6)]);
    expect(inspectImage(withoutPalette)).toEqual({ problem: 'the indexed PNG has no palette' });
  });
});

/** The baseline fixture made progressive: SOF2, and its one scan followed by a second. */
function progressiveJpeg(): Buffer {
  const sos = JPEG_16X9.indexOf(Buffer.from([0xff, 0xda]));
  const scanHeader = JPEG_16X9.subarray(sos, sos + 2 + JPEG_16X9.readUInt16BE(sos + 2));
  const head = Buffer.from(JPEG_16X9.subarray(0, sos));
  head[head.indexOf(Buffer.from([0xff, 0xc0])) + 1] = 0xc2;
  return Buffer.concat([
    head,
    scanHeader,
    Buffer.from([1, 2]),
    scanHeader,
    Buffer.from([3]),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** An APP1 Exif segment (big-endian TIFF, no entries) right after SOI. */
function withExif(jpeg: Buffer): Buffer {
  const exif = Buffer.concat([
    Buffer.from('Exif\0\0', 'latin1'),
    Buffer.from('MM\0*\0\0\0\x08\0\0', 'latin1'),
  ]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, exif.length + 2]), exif]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

describe('inspectImage: JPEG', () => {
  it.each([
    ['a baseline JFIF JPEG', JPEG_16X9, 16, 9],
    ['a progressive JPEG of two scans', progressiveJpeg(), 16, 9],
    ['a JPEG with an Exif segment', withExif(JPEG_16X9), 16, 9],
    [
      'a JPEG whose scan holds stuffed bytes and restart markers',
      jpegWithScan(Buffer.from([1, 0xff, 0x00, 2, 0xff, 0xd0, 3])),
      16,
      9,
    ],
  ])('accepts %s, with its dimensions', (_what, data, width, height) => {
    expect(inspectImage(data)).toEqual({ type: 'image/jpeg', width, height });
  });

  it.each([
    ['JPEG magic followed by HTML', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), HTML])],
    ['JPEG magic, a JFIF header, then HTML', Buffer.concat([JPEG_16X9.subarray(0, 20), HTML])],
    ['a JPEG cut off before EOI', JPEG_16X9.subarray(0, JPEG_16X9.length - 2)],
    ['a JPEG cut off inside a segment', JPEG_16X9.subarray(0, 100)],
    ['a JPEG with HTML after EOI', Buffer.concat([JPEG_16X9, HTML])],
    [
      'a JPEG with no scan',
      Buffer.concat([
        JPEG_16X9.subarray(0, JPEG_16X9.indexOf(Buffer.from([0xff, 0xda]))),
        Buffer.from([0xff, 0xd9]),
      ]),
    ],
    ['SOI and EOI alone', Buffer.from([0xff, 0xd8, 0xff, 0xd9])],
    ['an arithmetic-coded JPEG, which not every browser shows', JPEG_1X1],
    [
      'JPEG magic with 64 bytes of filler',
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]),
    ],
  ])('refuses %s', (_what, data) => {
    expect(inspectImage(data)).toEqual({ problem: expect.any(String) });
  });
});

describe('inspectImage: anything else', () => {
  it.each([
    ['text', Buffer.from('hello, not an image')],
    ['an empty file', Buffer.alloc(0)],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
  ])('refuses %s', (_what, data) => {
    expect(inspectImage(data)).toEqual({ problem: 'not a PNG or JPEG signature' });
  });
});
