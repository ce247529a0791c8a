/**
 * Small multiples: several figures laid out on a grid of `columns` columns, each keeping its own
 * scales and legends.
 */
import { mustBe, mustBeInteger } from '../util/validate.js';
import type { FigureSpec } from './render.js';
import { titleProperty, type FigureTitleOptions } from './style.js';

/** Options of {@link smallMultiples}. */
export interface SmallMultiplesOptions extends FigureTitleOptions {
  /** panels per row, integer ≥ 1. @defaultValue min(3, panels) */
  columns?: number;
}

/**
 * Lays out panels (specs from {@link lineChart} or {@link heatMap}) in a grid with independent
 * scales and legends.
 * @param panels - at least one spec
 * @param options - {@link SmallMultiplesOptions}
 * @throws RangeError if `panels` is empty or `columns` is not an integer ≥ 1
 * @example const spec = smallMultiples([lineChart(a), lineChart(b)], { columns: 2 });
 */
export function smallMultiples(panels: FigureSpec[], options: SmallMultiplesOptions = {}): FigureSpec {
  mustBe('smallMultiples', 'panels.length', panels.length, panels.length > 0, '≥ 1');
  const columns = options.columns ?? Math.min(3, panels.length);
  mustBeInteger('smallMultiples', 'columns', columns, 1);
  return {
    ...titleProperty(options),
    columns, concat: panels,
    resolve: { scale: { x: 'independent', y: 'independent', color: 'independent', stroke: 'independent', shape: 'independent' },
      legend: { color: 'independent', stroke: 'independent' } },
  };
}
