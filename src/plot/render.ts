/**
 * Rendering pipeline: vega-lite spec → vega spec (`compile`) → SVG (`view.toSVG()`, headless, no
 * canvas) → PNG (`@resvg/resvg-js`, text drawn with the system fonts). No browser, no native build.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { mustBe } from '../util/validate.js';
import { FIGURE_CONFIG, FIGURE_FONT } from './style.js';

/** A vega-lite specification (any view composition) without the top-level config, which rendering adds. */
export type FigureSpec = Record<string, unknown>;

/** Where {@link writeFigure} wrote a figure. */
export interface FigureFiles { svg: string; png: string }

/** Options of {@link svgToPng} and {@link writeFigure}. */
export interface RasterOptions {
  /** Pixels per SVG unit, in (0, 8]. @defaultValue 2 */
  scale?: number;
}

/** Default raster options. */
export const RASTER_DEFAULTS = { scale: 2 } as const;

/**
 * Renders a vega-lite spec to an SVG document string, with {@link FIGURE_CONFIG} merged under the
 * spec's own `config`.
 * @param spec - a vega-lite spec (unit, layer, concat, …)
 * @returns the SVG markup
 * @throws Error from vega-lite when the spec is invalid
 * @example const svg = await renderSvg(lineChart({ series: [{ x: [0, 1], y: [0, 1] }] }));
 */
export async function renderSvg(spec: FigureSpec): Promise<string> {
  mustBe('renderSvg', 'spec', spec, typeof spec === 'object' && spec !== null, 'a vega-lite spec object');
  const own = (spec.config ?? {}) as Record<string, unknown>;
  const full = { ...spec, config: { ...FIGURE_CONFIG, ...own } } as unknown as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Rasterises SVG markup to PNG bytes with resvg, loading the system fonts so that text renders.
 * @param svg - an SVG document
 * @param options - {@link RasterOptions}
 * @throws RangeError if `scale` is not in (0, 8]
 * @example const png = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
 */
export function svgToPng(svg: string, options: RasterOptions = {}): Buffer {
  const scale = options.scale ?? RASTER_DEFAULTS.scale;
  mustBe('svgToPng', 'scale', scale, Number.isFinite(scale) && scale > 0 && scale <= 8, 'in (0, 8]');
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: FIGURE_FONT, sansSerifFamily: FIGURE_FONT },
    fitTo: { mode: 'zoom', value: scale },
  });
  return resvg.render().asPng();
}

/**
 * Creates folder `dir` and its missing parents, one level at a time. (Node 20's
 * `mkdirSync(dir, { recursive: true })` spins forever on some pseudo file systems, e.g. under /proc.)
 * @param dir - folder path
 * @throws the file-system error (ENOTDIR, EACCES, ENOENT, …) of the first level that cannot be made
 * @example ensureDirectory('notebooks/out');
 */
export function ensureDirectory(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) ensureDirectory(parent);
  mkdirSync(dir);
}

/**
 * Renders a spec and writes it as SVG and PNG side by side. `path` may end in `.png`, `.svg` or
 * have no extension; both files are written with the same stem. Missing folders are created.
 * @param spec - a vega-lite spec
 * @param path - output path (stem or .png/.svg file)
 * @param options - {@link RasterOptions}
 * @returns the two paths written
 * @throws Error `writeFigure: cannot write <path> (<reason>).` if the location is not writable
 * @example await writeFigure(lineChart({ series: [{ x: [0, 1], y: [0, 1] }] }), 'out/line.png');
 */
export async function writeFigure(spec: FigureSpec, path: string, options: RasterOptions = {}): Promise<FigureFiles> {
  mustBe('writeFigure', 'path', path, typeof path === 'string' && path.length > 0, 'a non-empty file path');
  const ext = extname(path).toLowerCase();
  const stem = ext === '.png' || ext === '.svg' ? path.slice(0, -ext.length) : path;
  const files = { svg: `${stem}.svg`, png: `${stem}.png` };
  const svg = await renderSvg(spec);
  const png = svgToPng(svg, options);
  try {
    ensureDirectory(dirname(files.png));
    writeFileSync(files.svg, svg);
    writeFileSync(files.png, png);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`writeFigure: cannot write ${files.png} (${reason}); choose a writable location.`);
  }
  return files;
}
