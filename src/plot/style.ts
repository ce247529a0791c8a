/**
 * Shared figure styling: the paper's colours and the vega-lite config every figure is rendered with.
 * Colours follow the authors' scripts (paper-notes §6): f black, viscous relaxation 'indianred',
 * non-viscous relaxation 'royalblue', SGD densities grey; experiment curves SGD black, Entropy-SGD
 * red, HJ green, HEAT magenta.
 */

/** Named colours used across figures (CSS colour names, as in the authors' matplotlib scripts). */
export const PAPER_COLORS = Object.freeze({
  f: 'black',
  viscous: 'indianred',
  nonViscous: 'royalblue',
  sgd: 'grey',
  heat: 'darkorange',
  initialDensity: 'lightgrey',
  experimentSgd: 'black',
  experimentEntropySgd: 'indianred',
  experimentHj: 'forestgreen',
  experimentHeat: 'magenta',
} as const);

/** Font family used for every text mark; resvg resolves it from the system fonts (DejaVu Sans on Debian). */
export const FIGURE_FONT = 'DejaVu Sans';

/**
 * The vega-lite `config` block applied to every rendered figure: one font, white background,
 * no chart border, readable axis and title sizes.
 */
export const FIGURE_CONFIG = Object.freeze({
  font: FIGURE_FONT,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: false, tickColor: '#888', domainColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 11, symbolStrokeWidth: 2, labelLimit: 260 },
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555' },
  concat: { spacing: 24 },
} as const);

/** Title options shared by every figure builder (line chart, heat map, small multiples). */
export interface FigureTitleOptions {
  title?: string;
  /** one line, or several short lines (vega estimates text width at 0.8·font size per character, so long lines widen the figure) */
  subtitle?: string | string[];
}

/** The vega-lite `title` property for these options (nothing when there is no title). */
export function titleProperty(options: FigureTitleOptions): { title?: { text: string; subtitle?: string | string[] } } {
  if (options.title === undefined) return {};
  return { title: { text: options.title, ...(options.subtitle ? { subtitle: options.subtitle } : {}) } };
}
