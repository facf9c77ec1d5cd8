// Package plots draws hybridsim's charts with gonum/plot: time series with
// bands, stacked case modes, effect bars, heat maps, Morris scatter plots,
// networks and calibration histograms, in PNG, SVG or PDF. It is the only
// package that imports gonum/plot. It takes plain numbers, not runs, so it
// does not depend on how they were made.
//
// Each kind of chart has its file: TimeSeries (timeseries.go), Effects
// (effects.go), StackedAreas for case modes (modes.go), HeatMap
// (heatmap.go), Scatter for Morris μ*–σ (morris.go), Network (network.go),
// and Histograms and Pairs for calibration (calibration.go). They all
// return a Figure (figure.go), laid out as a grid of panels under a title
// and a legend; colours, dashes, ticks and fonts are in style.go.
package plots
