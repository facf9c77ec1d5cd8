package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// NetPanel is one network: nodes at positions, in groups (0, 1, 2: the
// colours of the legend's groups), and edges between them by node index.
type NetPanel struct {
	Title string
	X, Y  []float64
	Group []int
	Edges []NetEdge
}

// NetEdge is one tie; Cross ties are drawn dark, the others light.
type NetEdge struct {
	A, B  int
	Cross bool
}

// netColors are the groups' colours: blue professionals, orange informal
// parties, reddish purple coordinators (Okabe–Ito).
var netColors = []color.Color{Palette[4], Palette[1], Palette[6]}

// Network draws networks side by side with a legend naming the groups and
// the dark cross ties; the axes are hidden (a force-directed layout's
// coordinates mean nothing in themselves).
func Network(title string, panels []NetPanel, groups []string, crossLabel string, size Size, caption string) (*Figure, error) {
	if len(panels) == 0 {
		return nil, ErrNoData
	}
	var ps []*plot.Plot
	for _, np := range panels {
		if len(np.X) == 0 || len(np.X) != len(np.Y) || len(np.X) != len(np.Group) {
			return nil, ErrNoData
		}
		if err := finite(np.X, np.Y); err != nil {
			return nil, err
		}
		p := plot.New()
		p.Title.Text = np.Title
		p.HideAxes()
		p.Add(netPlotter{np})
		ps = append(ps, p)
	}
	var legend legendStrip
	for i, g := range groups {
		legend = append(legend, legendEntry{label: g, dot: netColors[i%len(netColors)]})
	}
	legend = append(legend, legendEntry{label: crossLabel, line: draw.LineStyle{Color: crossColor, Width: vg.Points(1)}})
	return gridWith(title, ps, len(ps), size, caption, legend), nil
}

var (
	crossColor  = color.NRGBA{0x20, 0x20, 0x20, 0xd0}
	withinColor = color.NRGBA{0x99, 0x99, 0x99, 0x50}
)

// netPlotter draws one NetPanel: light ties within a side, then the dark
// cross ties, then the nodes on top.
type netPlotter struct{ np NetPanel }

func (n netPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	pt := func(i int) vg.Point { return vg.Point{X: tx(n.np.X[i]), Y: ty(n.np.Y[i])} }
	for _, cross := range []bool{false, true} {
		sty := draw.LineStyle{Color: withinColor, Width: vg.Points(0.4)}
		if cross {
			sty = draw.LineStyle{Color: crossColor, Width: vg.Points(0.9)}
		}
		for _, e := range n.np.Edges {
			if e.Cross == cross {
				c.StrokeLine2(sty, pt(e.A).X, pt(e.A).Y, pt(e.B).X, pt(e.B).Y)
			}
		}
	}
	for _, g := range []int{1, 0, 2} { // the many informal parties first
		for i := range n.np.X {
			if n.np.Group[i] != g {
				continue
			}
			r := vg.Points(2.6)
			if g == 2 {
				r = vg.Points(4)
			}
			c.SetColor(netColors[g%len(netColors)])
			var path vg.Path
			q := pt(i)
			path.Move(vg.Point{X: q.X + r, Y: q.Y})
			path.Arc(q, r, 0, 2*math.Pi)
			path.Close()
			c.Fill(path)
		}
	}
}

// DataRange implements plot.DataRanger: the nodes' extent.
func (n netPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for i := range n.np.X {
		xmin, xmax = math.Min(xmin, n.np.X[i]), math.Max(xmax, n.np.X[i])
		ymin, ymax = math.Min(ymin, n.np.Y[i]), math.Max(ymax, n.np.Y[i])
	}
	return
}

// GlyphBoxes implements plot.GlyphBoxer, so that the outermost nodes are
// not cut off.
func (n netPlotter) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	r := vg.Points(4)
	bs := make([]plot.GlyphBox, len(n.np.X))
	for i := range n.np.X {
		bs[i] = plot.GlyphBox{X: p.X.Norm(n.np.X[i]), Y: p.Y.Norm(n.np.Y[i]), Rectangle: vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}}}
	}
	return bs
}
