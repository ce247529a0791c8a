import { describe, it, expect } from 'vitest';
import { Resvg } from '@resvg/resvg-js';
import { crc32, encodePng } from '../../src/plot/png.js';

describe('encodePng', () => {
  it('uses the CRC-32 of the PNG specification (check value of "123456789" is 0xCBF43926)', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips pixels through an independent decoder (resvg drawing the PNG 1:1)', () => {
    const rgba = Uint8Array.of(255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255, 200, 100, 50, 255, 0, 0, 0, 255);
    const url = `data:image/png;base64,${encodePng(3, 2, rgba).toString('base64')}`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="3" height="2"><image href="${url}" width="3" height="2" image-rendering="optimizeSpeed"/></svg>`;
    const decoded = new Resvg(svg).render();
    expect([decoded.width, decoded.height]).toEqual([3, 2]);
    expect(Array.from(decoded.pixels)).toEqual(Array.from(rgba));
  });

  it('rejects a pixel buffer of the wrong length', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(/encodePng: rgba\.length must be width·height·4 = 16; got 15\./);
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(/encodePng: width must be an integer ≥ 1; got 0\./);
  });
});
