/**
 * Heat maps of 2-D fields: the field is coloured cell by cell into an RGBA raster (PNG data URL)
 * drawn as a vega-lite image layer, with a colour bar, optional iso-lines, markers and paths.
 * Drawing the raster ourselves keeps a 401 × 401 field at one image instead of 160,801 rect marks.
 */
import type { GridFunction } from '../grids/grid-function.js';
import { mustBe } from '../util/validate.js';
import { colorTable } from './colormap.js';
import { contourSegments } from './contours.js';
import { encodePng } from './png.js';
import type { FigureSpec } from './render.js';
import { titleProperty, type FigureTitleOptions } from './style.js';

/** A marked point on a heat map (e.g. a minimiser). */
export interface MapMarker {
  x: number;
  y: number;
  label?: string;
  /** @defaultValue 'white' */
  color?: string;
  /** @defaultValue 'cross' */
  shape?: 'circle' | 'square' | 'cross' | 'diamond' | 'triangle-up' | 'triangle-down';
  /** @defaultValue 120 */
  size?: number;
}

/** A polyline through (x[i], y[i]) on a heat map (e.g. an optimizer trajectory). */
export interface MapPath { x: ArrayLike<number>; y: ArrayLike<number>; label?: string; color?: string; width?: number; points?: boolean }

/** Options of {@link heatMap}. */
export interface HeatMapOptions extends FigureTitleOptions {
  /** @defaultValue 'x' */
  xLabel?: string;
  /** @defaultValue 'y' */
  yLabel?: string;
  /** colour-bar title */
  colorTitle?: string;
  /** vega continuous scheme. @defaultValue 'viridis' */
  scheme?: string;
  /** colour range [lo, hi]; values outside are clamped. @defaultValue [min f, max f] */
  colorDomain?: [number, number];
  /** iso-line levels, or a count of evenly spaced levels inside the colour range */
  contours?: number | number[];
  /** @defaultValue 'rgba(255,255,255,0.6)' */
  contourColor?: string;
  markers?: MapMarker[];
  paths?: MapPath[];
  /** @defaultValue 300 */
  width?: number;
  /** @defaultValue 300 */
  height?: number;
  /** show the colour bar. @defaultValue true */
  colorBar?: boolean;
}

/** Defaults of {@link heatMap}. */
export const HEAT_MAP_DEFAULTS = { scheme: 'viridis', width: 300, height: 300, contourColor: 'rgba(255,255,255,0.6)' } as const;

/**
 * RGBA raster of a 2-D field: pixel (col i, row ny−1−j) holds the colour of f(x_i, y_j), so that
 * y grows upwards. Values are mapped linearly from `domain` onto the scheme and clamped.
 * @param f - samples on a 2-D grid
 * @param scheme - vega continuous scheme name
 * @param domain - [lo, hi] with lo < hi; NaN cells are transparent
 * @returns width = nx, height = ny and the pixels
 * @throws RangeError if `f` is not 2-D or the domain is empty
 */
export function fieldRaster(f: GridFunction, scheme: string, domain: [number, number]): { width: number; height: number; rgba: Uint8Array } {
  mustBe('fieldRaster', 'f.grid.ndim', f.grid.ndim, f.grid.ndim === 2, '2');
  mustBe('fieldRaster', 'domain', domain, Number.isFinite(domain[0]) && Number.isFinite(domain[1]) && domain[0] < domain[1], 'finite with lo < hi');
  const [nx, ny] = f.grid.shape, lut = colorTable(scheme), levels = lut.length / 3;
  const rgba = new Uint8Array(nx * ny * 4), lo = domain[0], scale = (levels - 1) / (domain[1] - domain[0]);
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) {
    const value = f.data[i * ny + j], pixel = 4 * ((ny - 1 - j) * nx + i);
    if (Number.isNaN(value)) continue; // transparent
    const level = Math.min(levels - 1, Math.max(0, Math.round((value - lo) * scale)));
    rgba[pixel] = lut[3 * level]; rgba[pixel + 1] = lut[3 * level + 1]; rgba[pixel + 2] = lut[3 * level + 2]; rgba[pixel + 3] = 255;
  }
  return { width: nx, height: ny, rgba };
}

/**
 * A heat map of a 2-D grid function with a colour bar, iso-lines, markers and paths. Each grid
 * point is drawn as a cell of size spacing centred on it.
 * @param f - samples on a 2-D grid (axis 0 = x, axis 1 = y)
 * @param options - {@link HeatMapOptions}
 * @returns a vega-lite layer spec
 * @throws RangeError if `f` is not 2-D, has no finite value, or the colour domain is empty
 * @example const spec = heatMap(Grid.uniform([[-2, 2], [-2, 2]], [101, 101]).sample('x^2 + y^2'), { contours: 8 });
 */
export function heatMap(f: GridFunction, options: HeatMapOptions = {}): FigureSpec {
  mustBe('heatMap', 'f.grid.ndim', f.grid.ndim, f.grid.ndim === 2, '2 (a field on a 2-D grid)');
  const width = options.width ?? HEAT_MAP_DEFAULTS.width, height = options.height ?? HEAT_MAP_DEFAULTS.height;
  const scheme = options.scheme ?? HEAT_MAP_DEFAULTS.scheme;
  let lo = Infinity, hi = -Infinity;
  for (const v of f.data) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  mustBe('heatMap', 'f', 'no finite value', lo <= hi, 'finite somewhere');
  if (lo === hi) { lo -= 0.5; hi += 0.5; } // a constant field still gets a colour bar of unit width
  const domain = options.colorDomain ?? [lo, hi];
  const raster = fieldRaster(f, scheme, domain);
  const url = `data:image/png;base64,${encodePng(raster.width, raster.height, raster.rgba).toString('base64')}`;

  const [x0, y0] = f.grid.lower, [x1, y1] = f.grid.upper, [hx, hy] = f.grid.spacing;
  const pxPerX = width / (x1 - x0), pxPerY = height / (y1 - y0);
  const xEnc = { type: 'quantitative', scale: { domain: [x0, x1], nice: false, zero: false }, axis: { title: options.xLabel ?? 'x' } };
  const yEnc = { type: 'quantitative', scale: { domain: [y0, y1], nice: false, zero: false }, axis: { title: options.yLabel ?? 'y' } };
  const layer: FigureSpec[] = [{
    data: { values: [{}] },
    mark: { type: 'image', url, aspect: false, align: 'left', baseline: 'top', clip: true,
      width: width + pxPerX * hx, height: height + pxPerY * hy },
    encoding: { x: { value: -pxPerX * hx / 2 }, y: { value: -pxPerY * hy / 2 } },
  }];
  if (options.colorBar ?? true) {
    layer.push({
      data: { values: [{ v: domain[0] }, { v: domain[1] }] },
      mark: { type: 'point', opacity: 0 },
      encoding: { color: { field: 'v', type: 'quantitative', scale: { scheme, domain, clamp: true },
        legend: { title: options.colorTitle ?? null, gradientLength: Math.max(60, height - 20), direction: 'vertical' } } },
    });
  }
  const levels = typeof options.contours === 'number'
    ? Array.from({ length: options.contours }, (_, n) => domain[0] + ((n + 1) * (domain[1] - domain[0])) / (options.contours as number + 1))
    : options.contours ?? [];
  if (levels.length > 0) {
    const s = contourSegments(f, levels);
    layer.push({
      data: { values: s.x1.map((x, n) => ({ x, y: s.y1[n], x2: s.x2[n], y2: s.y2[n] })) },
      mark: { type: 'rule', color: options.contourColor ?? HEAT_MAP_DEFAULTS.contourColor, strokeWidth: 0.8, clip: true },
      encoding: { x: { field: 'x', ...xEnc }, y: { field: 'y', ...yEnc }, x2: { field: 'x2' }, y2: { field: 'y2' } },
    });
  }
  const labelled = (options.paths ?? []).filter((p) => p.label !== undefined).map((p) => ({ label: p.label as string, color: p.color ?? 'white' }));
  const strokeScale = { domain: labelled.map((l) => l.label), range: labelled.map((l) => l.color) };
  // One legend for all labelled paths: every path layer encodes stroke by its own label as a datum on the
  // same scale, and `resolve.legend.stroke: 'shared'` merges the layers' legends into one entry per label
  // (independent legends repeated the whole domain once per path). Entries wrap into as many columns as
  // fit the plot width (≈ 6.5 px per label character + 30 px for the symbol), so many labels add rows,
  // not width. The grey background keeps light path colours (white over a dark field) visible.
  const entryWidth = 30 + 6.5 * Math.max(1, ...labelled.map((l) => l.label.length));
  const legendColumns = Math.max(1, Math.min(labelled.length, Math.floor(width / entryWidth)));
  const stroke = (label: string | undefined, fallback: string) => label === undefined ? { value: fallback }
    : { datum: label, type: 'nominal', scale: strokeScale,
      legend: { title: null, orient: 'bottom', direction: 'horizontal', columns: legendColumns, symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 200,
        fillColor: '#bdbdbd', padding: 4 } };
  (options.paths ?? []).forEach((p, n) => {
    mustBe('heatMap', `paths[${n}].y.length`, p.y.length, p.y.length === p.x.length, `equal to paths[${n}].x.length = ${p.x.length}`);
    const values = Array.from({ length: p.x.length }, (_, i) => ({ x: p.x[i], y: p.y[i], order: i })).filter((r) => Number.isFinite(r.x) && Number.isFinite(r.y));
    layer.push({
      data: { values },
      mark: { type: 'line', strokeWidth: p.width ?? 1.8, clip: true, ...(p.points ? { point: { filled: true, size: 14, color: p.color ?? 'white' } } : {}) },
      encoding: { x: { field: 'x', ...xEnc }, y: { field: 'y', ...yEnc }, order: { field: 'order', type: 'quantitative' }, stroke: stroke(p.label, p.color ?? 'white') },
    });
  });
  // Markers are labelled in place (text beside the symbol): a legend of white crosses on white would say nothing.
  for (const m of options.markers ?? []) {
    const values = [{ x: m.x, y: m.y, text: m.label ?? '' }];
    layer.push({
      data: { values },
      mark: { type: 'point', shape: m.shape ?? 'cross', size: m.size ?? 120, filled: true, opacity: 1, color: m.color ?? 'white', stroke: 'black', strokeWidth: 0.6, clip: true },
      encoding: { x: { field: 'x', ...xEnc }, y: { field: 'y', ...yEnc } },
    });
    if (m.label !== undefined) {
      layer.push({
        data: { values },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 8, fontSize: 11, fontWeight: 'bold', color: m.color ?? 'white', clip: true },
        encoding: { x: { field: 'x', ...xEnc }, y: { field: 'y', ...yEnc }, text: { field: 'text' } },
      });
    }
  }
  return {
    ...titleProperty(options),
    width, height, layer, resolve: { legend: { color: 'independent', stroke: 'shared' } },
  };
}
