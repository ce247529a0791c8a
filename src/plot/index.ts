export { PAPER_COLORS, FIGURE_CONFIG, FIGURE_FONT, titleProperty, type FigureTitleOptions } from './style.js';
export { renderSvg, svgToPng, writeFigure, ensureDirectory, RASTER_DEFAULTS, type FigureSpec, type FigureFiles, type RasterOptions } from './render.js';
export { encodePng, crc32 } from './png.js';
export { colorTable, parseColor, type Rgb } from './colormap.js';
export { lineChart, LINE_CHART_DEFAULTS, type LineSeries, type Band, type Marker, type HorizontalRule, type LegendPosition, type LineChartOptions } from './line-chart.js';
export { heatMap, fieldRaster, HEAT_MAP_DEFAULTS, type HeatMapOptions, type MapMarker, type MapPath } from './heat-map.js';
export { contourSegments, type ContourSegments } from './contours.js';
export { smallMultiples, type SmallMultiplesOptions } from './small-multiples.js';
