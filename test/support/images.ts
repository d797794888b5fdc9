/** Real image bytes for the virtual background uploads: the sandbox judges a file by its first bytes. */

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
