import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { Grid } from '../../src/grids/index.js';
import { fieldRaster, heatMap, lineChart, smallMultiples, svgToPng, writeFigure } from '../../src/plot/index.js';

const dir = mkdtempSync(join(tmpdir(), 'deeprelax-plot-'));

function darkPixels(png: Buffer): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><image href="data:image/png;base64,${png.toString('base64')}" width="400" height="400"/></svg>`;
  const img = new Resvg(svg).render().pixels;
  let dark = 0;
  for (let p = 0; p < img.length; p += 4) if (img[p] < 80 && img[p + 1] < 80 && img[p + 2] < 80 && img[p + 3] > 0) dark++;
  return dark;
}

describe('rendering', () => {
  it('draws text: a text-only SVG rasterises to dark pixels (a system font was found)', () => {
    const text = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/><text x="4" y="30" font-size="28" fill="black">Deep Relaxation</text></svg>', { scale: 1 });
    expect(darkPixels(text)).toBeGreaterThan(100);
  });

  it('writes a line chart with bands, markers and rules as SVG + PNG, titles as SVG text', async () => {
    const x = Grid.uniform([[-3, 3]], [61]).axis(0), f = Array.from(x, (v) => v * v);
    const spec = lineChart({ title: 'Chart title', xLabel: 'x', series: [{ x, y: f, label: 'f(x)' }],
      bands: [{ x, lower: f, upper: f.map((v) => v + 1), label: 'density' }], markers: [{ x: 0, y: 0 }], rules: [{ y: 4, label: 'four' }] });
    const files = await writeFigure(spec, join(dir, 'sub', 'line.png'), { scale: 1 });
    const svg = readFileSync(files.svg, 'utf8');
    expect(svg).toMatch(/<svg[^>]*>/);
    for (const word of ['Chart title', 'f(x)', 'density', 'four']) expect(svg).toContain(word);
    const png = readFileSync(files.png);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    // width in the IHDR chunk equals the SVG width at scale 1
    const svgWidth = Number(/width="(\d+)"/.exec(svg)?.[1]);
    expect(png.readUInt32BE(16)).toBe(svgWidth);
  });

  it('puts low values of the field at the bottom-left of the raster (y grows upwards)', () => {
    const grid = Grid.uniform([[0, 1], [0, 1]], [4, 3]);
    const { width, height, rgba } = fieldRaster(grid.sample((x, y) => x + 10 * y), 'greys', [0, 11]);
    expect([width, height]).toEqual([4, 3]);
    const bottomLeft = rgba[4 * ((height - 1) * width)], topRight = rgba[4 * (width - 1)];
    expect(bottomLeft).toBeGreaterThan(topRight + 150); // greys: 0 is the light end, 11 = max(x + 10y) the dark end
  });

  it('renders heat maps in small multiples with a colour bar and contours', async () => {
    const grid = Grid.uniform([[-1, 1], [-1, 1]], [31, 31]);
    const panel = heatMap(grid.sample('x^2 + y^2'), { title: 'bowl', colorTitle: 'f', contours: 3, markers: [{ x: 0, y: 0, label: 'min' }],
      paths: [{ x: [0.8, 0.4, 0], y: [0.8, 0.4, 0], label: 'path' }] });
    const files = await writeFigure(smallMultiples([panel, panel], { columns: 2, title: 'two' }), join(dir, 'maps'), { scale: 1 });
    expect(existsSync(files.png) && existsSync(files.svg)).toBe(true);
    const svg = readFileSync(files.svg, 'utf8');
    expect((svg.match(/<image /g) ?? []).length).toBe(2);
    expect(svg).toContain('min');
  });

  it('rejects bad input with messages that say what to fix', async () => {
    expect(() => lineChart({})).toThrow(/lineChart: options must be given at least one series, band or marker/);
    expect(() => lineChart({ series: [{ x: [0, 1], y: [0] }] })).toThrow(/lineChart: series\[0\]\.y\.length must be equal to series\[0\]\.x\.length = 2; got 1\./);
    expect(() => heatMap(Grid.uniform([[0, 1]], [3]).sample('x'))).toThrow(/heatMap: f\.grid\.ndim must be 2/);
    expect(() => smallMultiples([])).toThrow(/smallMultiples: panels\.length must be ≥ 1; got 0\./);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    await expect(writeFigure(lineChart({ series: [{ x: [0, 1], y: [0, 1] }] }), join(file, 'x.png')))
      .rejects.toThrow(/writeFigure: cannot write .*a-file\/x\.png \(ENOTDIR\); choose a writable location\./);
  });
});
