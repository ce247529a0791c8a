/**
 * A minimal PNG encoder (8-bit RGBA, no interlace, filter 0, zlib from Node). Used to embed raster
 * heat maps in SVG as data URLs, which resvg then rasterises; no native image library is needed.
 */
import { deflateSync } from 'node:zlib';
import { mustBe, mustBeInteger } from '../util/validate.js';

const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

// CRC-32 (ISO 3309, polynomial 0xEDB88320), as the PNG specification requires for every chunk.
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of `bytes` as used by PNG chunks (the check value of "123456789" is 0xCBF43926). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Encodes an 8-bit RGBA image as PNG bytes.
 * @param width - pixels per row, integer ≥ 1
 * @param height - rows, integer ≥ 1
 * @param rgba - width·height·4 bytes, row-major from the top-left pixel
 * @throws RangeError if the sizes are not positive integers or `rgba` has the wrong length
 * @example const png = encodePng(1, 1, Uint8Array.of(255, 0, 0, 255)); // one red pixel
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  mustBeInteger('encodePng', 'width', width, 1);
  mustBeInteger('encodePng', 'height', height, 1);
  mustBe('encodePng', 'rgba.length', rgba.length, rgba.length === width * height * 4, `width·height·4 = ${width * height * 4}`);
  const rowBytes = width * 4 + 1;
  const raw = new Uint8Array(rowBytes * height); // each row: filter byte 0 (None), then the pixels
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * rowBytes + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}
