import { describe, it, expect } from 'vitest';
import { colorTable, parseColor } from '../../src/plot/colormap.js';

describe('colour maps', () => {
  it('parses the three CSS forms vega interpolators emit', () => {
    expect(parseColor('#ff8000')).toEqual([255, 128, 0]);
    expect(parseColor('#f80')).toEqual([255, 136, 0]);
    expect(parseColor('rgb(33, 145, 141)')).toEqual([33, 145, 141]);
    expect(() => parseColor('teal')).toThrow(/parseColor: css must be '#rrggbb', '#rgb' or 'rgb\(r, g, b\)'; got "teal"\./);
  });

  it('samples a continuous scheme end to end: greys runs from light to dark', () => {
    const lut = colorTable('greys', 16);
    expect(lut.length).toBe(48);
    expect(lut[0] - lut[45]).toBeGreaterThan(180); // vega's greys spans most of the grey range
    // monotone darkening: luminance never increases along the table
    for (let i = 1; i < 16; i++) expect(lut[3 * i]).toBeLessThanOrEqual(lut[3 * (i - 1)]);
  });

  it('rejects an unknown scheme', () => {
    expect(() => colorTable('no-such-scheme')).toThrow(/colorTable: name must be a continuous vega scheme/);
  });
});
