package plots_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hybridsim/hybridsim/plots"
	"gonum.org/v1/plot/vg"
)

// TimeSeries draws one line per series with its band (here p05–p95 over
// the replications) and a dotted marker where an intervention starts. The
// figure is written in any of png, svg or pdf; Save picks the format from
// the file name's extension, as in fig.Save("out/hybridisation.png").
func ExampleTimeSeries() {
	panel := plots.Panel{
		Title:  "Hybridisation",
		XLabel: "week",
		YLabel: "share of active cases handled jointly",
		Bands: []plots.Band{
			{Label: "baseline", Mean: []float64{0.10, 0.11, 0.11, 0.12, 0.12}, Lo: []float64{0.08, 0.09, 0.09, 0.10, 0.10}, Hi: []float64{0.12, 0.13, 0.13, 0.14, 0.14}},
			{Label: "wijktafels", Mean: []float64{0.10, 0.12, 0.15, 0.19, 0.22}, Lo: []float64{0.08, 0.10, 0.12, 0.16, 0.18}, Hi: []float64{0.12, 0.14, 0.18, 0.22, 0.26}},
		},
		Markers: []plots.Marker{{Tick: 1, Label: "wijktafels start"}},
	}
	fig, err := plots.TimeSeries("Hybridisation — my area", []plots.Panel{panel}, 1, plots.SizeDefault, "Mean over 30 replications; bands hold 90% of them.")
	if err != nil {
		panic(err) // plots.ErrNoData or plots.ErrNaN
	}
	var svg bytes.Buffer
	if err := fig.WriteTo(&svg, "svg"); err != nil {
		panic(err)
	}
	size := fig.Size()
	fmt.Printf("%.0f × %.0f cm\n", float64(size.W/vg.Centimeter), float64(size.H/vg.Centimeter))
	fmt.Println("an SVG:", strings.HasPrefix(svg.String(), "<?xml"))
	fmt.Println("titled:", strings.Contains(svg.String(), "Hybridisation — my area"))

	_, err = plots.TimeSeries("empty", nil, 1, plots.SizeDefault, "")
	fmt.Println(err)
	// Output:
	// 24 × 15 cm
	// an SVG: true
	// titled: true
	// plots: no data
}
