/**
 * Continuous colour maps, taken from vega's named schemes so that a raster heat map and the
 * vega-lite colour bar drawn beside it use the same colours.
 */
import * as vega from 'vega';
import { mustBe } from '../util/validate.js';

/** RGB triple in 0…255. */
export type Rgb = [number, number, number];

/** Parses `#rrggbb`, `#rgb` or `rgb(r, g, b)` (what vega's interpolators return). */
export function parseColor(css: string): Rgb {
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) { const v = parseInt(hex[1], 16); return [(v >> 16) & 255, (v >> 8) & 255, v & 255]; }
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(css);
  if (short) return [parseInt(short[1], 16) * 17, parseInt(short[2], 16) * 17, parseInt(short[3], 16) * 17];
  const rgb = /^rgba?\(\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)/i.exec(css);
  if (rgb) return [Math.round(+rgb[1]), Math.round(+rgb[2]), Math.round(+rgb[3])];
  throw new RangeError(`parseColor: css must be '#rrggbb', '#rgb' or 'rgb(r, g, b)'; got ${JSON.stringify(css)}.`);
}

/**
 * Samples vega's continuous scheme `name` at `levels` evenly spaced points of [0, 1] into a lookup
 * table (levels × 3 bytes), so that colouring a cell is one index computation.
 * @param name - a vega continuous scheme name ('viridis', 'magma', 'blues', …)
 * @param levels - table size, integer ≥ 2 (256 gives 8-bit resolution)
 * @throws RangeError if the scheme is unknown or not continuous
 * @example const lut = colorTable('viridis'); // lut[0..2] = darkest colour
 */
export function colorTable(name: string, levels = 256): Uint8Array {
  const scheme = vega.scheme(name) as unknown;
  mustBe('colorTable', 'name', name, typeof scheme === 'function', "a continuous vega scheme ('viridis', 'magma', 'blues', …)");
  const interpolate = scheme as (t: number) => string;
  const lut = new Uint8Array(levels * 3);
  for (let i = 0; i < levels; i++) lut.set(parseColor(interpolate(i / (levels - 1))), 3 * i);
  return lut;
}
