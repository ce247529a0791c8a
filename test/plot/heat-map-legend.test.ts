import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/index.js';
import { heatMap, renderSvg, smallMultiples, svgToPng, type MapPath } from '../../src/plot/index.js';

const f = Grid.uniform([[-1, 1], [-1, 1]], [21, 21]).sample('x^2 + y^2');
const names = ['SGD', 'Entropy-SGD', 'HEAT', 'HJ prox', 'exact HJ', 'Elastic-SGD', 'path 7', 'path 8'];
const colors = ['white', 'red', 'magenta', 'orange', 'cyan', 'black', 'green', 'blue'];
/** 8 labelled paths of 300 points each: a legend datum per point would give 2400 entries. */
const paths: MapPath[] = names.map((label, k) => {
  const x = Array.from({ length: 300 }, (_, i) => 0.8 * Math.cos(i / 50 + k));
  return { x, y: x.map((v) => 0.5 * v + 0.05 * k), label, color: colors[k] };
});
const svgWidth = (svg: string): number => Number(/<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(svg)?.[1]);
const occurrences = (svg: string, label: string): number => svg.split(`>${label}</text>`).length - 1;

describe('heatMap path legend', () => {
  it('has one legend entry per labelled path and wraps it inside the plot width', async () => {
    const labelled = await renderSvg(heatMap(f, { width: 200, height: 200, paths }));
    const plain = await renderSvg(heatMap(f, { width: 200, height: 200, paths: paths.map(({ label: _, ...p }) => p) }));
    for (const label of names) expect(occurrences(labelled, label)).toBe(1);
    for (const label of names) expect(occurrences(plain, label)).toBe(0);
    // The legend sits below the plot in columns that fit its 200 px: it adds rows, never width.
    expect(svgWidth(labelled)).toBe(svgWidth(plain));
    expect(svgWidth(plain)).toBeLessThan(200 + 150); // plot + y axis + colour bar
    const png = svgToPng(labelled, { scale: 1 });
    expect(png.readUInt32BE(16)).toBeLessThan(200 + 150); // IHDR width
  });

  it('stays one legend per panel in small multiples (6 panels × 8 labels = 48 entries, not 6 × 8²)', async () => {
    const panels = Array.from({ length: 6 }, () => heatMap(f, { width: 200, height: 200, paths }));
    const svg = await renderSvg(smallMultiples(panels, { columns: 3 }));
    for (const label of names) expect(occurrences(svg, label)).toBe(6);
    expect(svgWidth(svg)).toBeLessThan(3 * (200 + 150));
  });
});
