// SVGCharts module (to be written).
