/**
 * Line charts with filled bands (densities, ± std), point markers and horizontal reference rules,
 * as one layered vega-lite spec. Each series and band is its own layer sharing one colour scale,
 * so the legend lists every labelled element with its colour.
 */
import { mustBe, mustBeType } from '../util/validate.js';
import type { FigureSpec } from './render.js';
import { titleProperty, type FigureTitleOptions } from './style.js';

/** One polyline y(x). */
export interface LineSeries {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** legend entry; unlabelled series get no legend entry */
  label?: string;
  /** CSS colour. @defaultValue 'black' */
  color?: string;
  /** stroke width in px. @defaultValue 1.5 */
  width?: number;
  /** SVG dash pattern, e.g. [4, 2] */
  dash?: number[];
  opacity?: number;
  /** draw a circle at every point (the experiment figures' markers) */
  points?: boolean;
}

/** A region filled between lower(x) and upper(x) (a density drawn on top of f, or a ± std band). */
export interface Band {
  x: ArrayLike<number>;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  label?: string;
  /** @defaultValue 'grey' */
  color?: string;
  /** fill opacity in [0, 1]. @defaultValue 0.35 */
  opacity?: number;
}

/** A single marked point (e.g. a minimiser). */
export interface Marker {
  x: number;
  y: number;
  label?: string;
  /** @defaultValue 'black' */
  color?: string;
  /** @defaultValue 'circle' */
  shape?: 'circle' | 'square' | 'cross' | 'diamond' | 'triangle-up' | 'triangle-down';
  /** area in px². @defaultValue 60 */
  size?: number;
  /** draw the shape filled. @defaultValue true */
  filled?: boolean;
}

/** A horizontal line y = const across the plot, with an optional text label. */
export interface HorizontalRule { y: number; label?: string; color?: string; dash?: number[] }

/** Where the legend goes; 'none' hides it. */
export type LegendPosition = 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left' | 'right' | 'bottom' | 'none';

/** Options of {@link lineChart}. */
export interface LineChartOptions extends FigureTitleOptions {
  series?: LineSeries[];
  bands?: Band[];
  markers?: Marker[];
  rules?: HorizontalRule[];
  xLabel?: string;
  yLabel?: string;
  /** plot width in px. @defaultValue 480 */
  width?: number;
  /** plot height in px. @defaultValue 300 */
  height?: number;
  /** fixed x range; marks outside are clipped */
  xDomain?: [number, number];
  /** fixed y range; marks outside are clipped */
  yDomain?: [number, number];
  /** @defaultValue 'linear' */
  xScale?: 'linear' | 'log';
  /** @defaultValue 'linear' */
  yScale?: 'linear' | 'log';
  /** @defaultValue 'top-right' */
  legend?: LegendPosition;
  /** draw tick labels (the paper's Fig. 1 has none). @defaultValue true */
  ticks?: boolean;
}

/** Defaults of {@link lineChart}. */
export const LINE_CHART_DEFAULTS = { width: 480, height: 300, legend: 'top-right', ticks: true } as const;

function rows(fn: string, name: string, x: ArrayLike<number>, cols: Record<string, ArrayLike<number>>): Record<string, number>[] {
  mustBeType(fn, `${name}.x`, x, x !== null && typeof x === 'object' && typeof x.length === 'number', 'an array of numbers');
  const keys = Object.keys(cols);
  for (const k of keys) {
    mustBe(fn, `${name}.${k}.length`, cols[k].length, cols[k].length === x.length, `equal to ${name}.x.length = ${x.length}`);
  }
  const out: Record<string, number>[] = [];
  for (let i = 0; i < x.length; i++) {
    const row: Record<string, number> = { x: x[i] };
    let finite = Number.isFinite(x[i]);
    for (const k of keys) { row[k] = cols[k][i]; finite &&= Number.isFinite(cols[k][i]); }
    if (finite) out.push(row); // vega drops non-finite values anyway; a gap is the honest drawing
  }
  return out;
}

/**
 * Builds a layered vega-lite line chart: bands (areas between two curves) under lines, then
 * markers and horizontal rules, with one legend for every labelled element.
 * @param options - {@link LineChartOptions}; at least one series, band or marker
 * @returns a vega-lite spec for {@link writeFigure} or {@link smallMultiples}
 * @throws RangeError if nothing is drawn or a series' arrays differ in length
 * @example const spec = lineChart({ series: [{ x: [0, 1, 2], y: [1, 0, 1], label: 'f', color: 'black' }] });
 */
export function lineChart(options: LineChartOptions): FigureSpec {
  const series = options.series ?? [], bands = options.bands ?? [], markers = options.markers ?? [], rules = options.rules ?? [];
  mustBe('lineChart', 'options', options, series.length + bands.length + markers.length > 0, 'given at least one series, band or marker');
  const width = options.width ?? LINE_CHART_DEFAULTS.width, height = options.height ?? LINE_CHART_DEFAULTS.height;
  const legendAt = options.legend ?? LINE_CHART_DEFAULTS.legend, ticks = options.ticks ?? LINE_CHART_DEFAULTS.ticks;

  const labelled: { label: string; color: string }[] = [];
  const addLabel = (label: string | undefined, color: string) => { if (label !== undefined && !labelled.some((l) => l.label === label)) labelled.push({ label, color }); };
  for (const b of bands) addLabel(b.label, b.color ?? 'grey');
  for (const s of series) addLabel(s.label, s.color ?? 'black');
  for (const m of markers) addLabel(m.label, m.color ?? 'black');
  const legend = legendAt === 'none' ? null
    : { title: null, orient: legendAt, symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1, symbolSize: 200, ...(legendAt === 'right' || legendAt === 'bottom' ? {} : { fillColor: 'rgba(255,255,255,0.85)', padding: 4 }) };
  const colorScale = { domain: labelled.map((l) => l.label), range: labelled.map((l) => l.color) };
  const color = (label: string | undefined, fallback: string) => label === undefined ? { value: fallback }
    : { datum: label, type: 'nominal', scale: colorScale, legend };

  const axis = (title: string | undefined) => ({ title: title ?? null, ...(ticks ? {} : { labels: false, ticks: false }) });
  const xEnc = { field: 'x', type: 'quantitative', axis: axis(options.xLabel),
    scale: { ...(options.xScale === 'log' ? {} : { zero: false }), nice: options.xDomain === undefined, type: options.xScale ?? 'linear', ...(options.xDomain ? { domain: options.xDomain } : {}) } };
  const yScale = { ...(options.yScale === 'log' ? {} : { zero: false }), type: options.yScale ?? 'linear', ...(options.yDomain ? { domain: options.yDomain } : {}) };
  const yEnc = (field: string) => ({ field, type: 'quantitative', axis: axis(options.yLabel), scale: yScale });
  const clip = options.xDomain !== undefined || options.yDomain !== undefined;

  const layer: FigureSpec[] = [];
  bands.forEach((b, n) => layer.push({
    data: { values: rows('lineChart', `bands[${n}]`, b.x, { lower: b.lower, upper: b.upper }) },
    mark: { type: 'area', opacity: b.opacity ?? 0.35, clip },
    encoding: { x: xEnc, y: yEnc('lower'), y2: { field: 'upper' }, color: color(b.label, b.color ?? 'grey') },
  }));
  series.forEach((s, n) => layer.push({
    data: { values: rows('lineChart', `series[${n}]`, s.x, { y: s.y }) },
    mark: { type: 'line', strokeWidth: s.width ?? 1.5, clip, ...(s.dash ? { strokeDash: s.dash } : {}),
      ...(s.opacity !== undefined ? { opacity: s.opacity } : {}), ...(s.points ? { point: { filled: true, size: 30 } } : {}) },
    encoding: { x: xEnc, y: yEnc('y'), color: color(s.label, s.color ?? 'black') },
  }));
  if (markers.length > 0) {
    markers.forEach((m) => layer.push({
      data: { values: [{ x: m.x, y: m.y }] },
      mark: { type: 'point', shape: m.shape ?? 'circle', size: m.size ?? 60, filled: m.filled ?? true, opacity: 1, clip, strokeWidth: 2 },
      encoding: { x: xEnc, y: yEnc('y'), color: color(m.label, m.color ?? 'black') },
    }));
  }
  for (const r of rules) {
    layer.push({ data: { values: [{ y: r.y }] }, mark: { type: 'rule', strokeDash: r.dash ?? [6, 4], color: r.color ?? 'black' }, encoding: { y: yEnc('y') } });
    if (r.label !== undefined) {
      layer.push({ data: { values: [{ y: r.y, text: r.label }] }, mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, x: width - 4, color: r.color ?? 'black', fontSize: 11 },
        encoding: { y: yEnc('y'), text: { field: 'text' } } });
    }
  }
  return {
    ...titleProperty(options),
    width, height, layer,
  };
}
