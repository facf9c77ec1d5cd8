package plots

import (
	"bytes"
	"errors"
	"gonum.org/v1/plot/vg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/plotter"

	"github.com/hybridsim/hybridsim/sim"
)

// regen is cmpimg's -regen flag: rewrite the golden images under testdata.
var regen = cmpimg.GenerateTestData

// fixedRun is a small fixed run: the default area, 3 replications of 30
// ticks, baseline and all-three, seed 1; bands are min–max.
func fixedRun(t *testing.T) []Band {
	t.Helper()
	var bands []Band
	for _, v := range []string{"baseline", "all-three"} {
		b := Band{Label: v, Mean: make([]float64, 30), Lo: make([]float64, 30), Hi: make([]float64, 30)}
		for i := range b.Lo {
			b.Lo[i], b.Hi[i] = math.Inf(1), math.Inf(-1)
		}
		for rep := range 3 {
			var ivs []sim.Intervention
			if v == "all-three" {
				for _, k := range []string{"wijktafel", "social_reflection"} {
					iv, _ := sim.NewIntervention(k)
					ivs = append(ivs, iv)
				}
				ivs = append(ivs, &sim.EndGoal{Perspective: "accessibility_plus", Clarity: 0.8, Participation: 1, Support: 0.5})
			}
			r, err := sim.Run(sim.Config{Params: sim.Defaults(), Interventions: ivs, Ticks: 30, Seed: 1, Rep: uint64(rep)})
			if err != nil {
				t.Fatal(err)
			}
			for tk := range 30 {
				x := r.Value(tk, sim.Hybridisation)
				b.Mean[tk] += x / 3
				b.Lo[tk], b.Hi[tk] = math.Min(b.Lo[tk], x), math.Max(b.Hi[tk], x)
			}
		}
		bands = append(bands, b)
	}
	return bands
}

func effectPanels() []BarPanel {
	return []BarPanel{
		{Title: "hybridisation", XLabel: "difference", Sort: true, Bars: []Bar{
			{Label: "wijktafels", Mean: 0.015, Lo: 0.012, Hi: 0.018},
			{Label: "all-three", Mean: 0.125, Lo: 0.12, Hi: 0.13},
			{Label: "push-only", Mean: -0.004, Lo: -0.006, Hi: -0.002}}},
		{Title: "late escalations", XLabel: "difference", Bars: []Bar{
			{Label: "wijktafels", Mean: -0.1, Lo: -0.25, Hi: 0.05},
			{Label: "all-three", Mean: -0.2, Lo: -0.4, Hi: -0.01}}},
	}
}

func render(t *testing.T, f *Figure, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.WriteTo(&buf, format); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGoldenImages(t *testing.T) {
	hyb, err := TimeSeries("Hybridisation", []Panel{{XLabel: "week", YLabel: "joint / active", Bands: fixedRun(t), Markers: []Marker{{Tick: 10}}}}, 1, SizeA4, "scenario default · 3 replications · seed 1")
	if err != nil {
		t.Fatal(err)
	}
	eff, err := Effects("Effects against baseline", effectPanels(), 2, SizeA4, "fixed numbers")
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]*Figure{"hybridisation": hyb, "effects": eff} {
		t.Run(name, func(t *testing.T) {
			got := render(t, f, "png")
			path := filepath.Join("testdata", name+"_golden.png")
			if *regen {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./plots -regen)", err)
			}
			ok, err := cmpimg.EqualApprox("png", got, want, 0.01)
			if err != nil || !ok {
				os.WriteFile(filepath.Join(t.TempDir(), name+".png"), got, 0o644)
				t.Fatalf("%s differs from %s (err %v); rerun with -regen if the change is intended", name, path, err)
			}
		})
	}
}

func TestFormatsAndSizes(t *testing.T) {
	f, err := Effects("Effects", effectPanels(), 2, SizeDefault, "caption")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ format, magic string }{{"png", "\x89PNG"}, {"svg", "<?xml"}, {"pdf", "%PDF"}} {
		b := render(t, f, tc.format)
		if !bytes.HasPrefix(b, []byte(tc.magic)) || len(b) < 5000 {
			t.Errorf("%s: %d bytes starting %q", tc.format, len(b), b[:min(8, len(b))])
		}
	}
	for _, s := range []Size{SizeDefault, SizeA4} {
		f, _ := Effects("Effects", effectPanels(), 2, s, "")
		img, err := png.Decode(bytes.NewReader(render(t, f, "png")))
		if err != nil {
			t.Fatal(err)
		}
		if w := img.Bounds().Dx(); math.Abs(float64(w)-s.W.Dots(96)) > 2 {
			t.Errorf("width %d px, want %v", w, s.W.Dots(96))
		}
	}
}

func TestBadDataIsAnError(t *testing.T) {
	nan := []float64{0, math.NaN(), 1}
	for name, err := range map[string]error{
		"NaN series": func() error {
			_, err := TimeSeries("x", []Panel{{Bands: []Band{{Label: "a", Mean: nan}}}}, 1, SizeA4, "")
			return err
		}(),
		"empty series": func() error {
			_, err := TimeSeries("x", []Panel{{Bands: []Band{{Label: "a"}}}}, 1, SizeA4, "")
			return err
		}(),
		"no panels": func() error { _, err := TimeSeries("x", nil, 1, SizeA4, ""); return err }(),
		"NaN bar": func() error {
			_, err := Effects("x", []BarPanel{{Bars: []Bar{{Label: "a", Mean: math.NaN()}}}}, 1, SizeA4, "")
			return err
		}(),
		"no bars":   func() error { _, err := Effects("x", []BarPanel{{Title: "t"}}, 1, SizeA4, ""); return err }(),
		"no layers": func() error { _, err := StackedAreas("x", []Stack{{Title: "t"}}, SizeA4, ""); return err }(),
	} {
		if !errors.Is(err, ErrNaN) && !errors.Is(err, ErrNoData) {
			t.Errorf("%s: got %v, want ErrNaN or ErrNoData", name, err)
		}
	}
}

func TestStylesAreFixed(t *testing.T) {
	c1, d1 := Style("all-three", []string{"baseline", "all-three"})
	c2, d2 := Style("all-three", []string{"all-three"})
	if c1 != c2 || len(d1) != len(d2) {
		t.Error("a standard variant's style depends on the others")
	}
	if c, d := Style("baseline", nil); c != Palette[0] || d != nil {
		t.Error("baseline is not solid black")
	}
	ca, _ := Style("mine", []string{"baseline", "mine", "yours"})
	cb, _ := Style("yours", []string{"baseline", "mine", "yours"})
	if ca == cb {
		t.Error("two custom variants share a colour")
	}
}

// TestValueTicks: a heat map's ticks sit on the values the cells were run
// at, all labelled up to eight, about eight labelled beyond.
func TestValueTicks(t *testing.T) {
	ts := valueTicks([]float64{0.2, 0.5, 0.8}, SizeDefault)
	if len(ts) != 3 || ts[0].Value != 0.2 || ts[2].Label != "0.8" {
		t.Fatalf("%+v", ts)
	}
	many := make([]float64, 20)
	for i := range many {
		many[i] = float64(i)
	}
	labelled := 0
	for _, tk := range valueTicks(many, SizeDefault) {
		if tk.Label != "" {
			labelled++
		}
	}
	if labelled < 5 || labelled > 8 {
		t.Fatalf("%d of 20 ticks labelled, want about 8", labelled)
	}
}

// TestShareX: panels that share a scale get the union of their x ranges;
// the others keep their own.
func TestShareX(t *testing.T) {
	shareX := func(ps []*plot.Plot, panels []BarPanel) {
		share(ps, func(i int) bool { return panels[i].SharedX }, func(p *plot.Plot) *plot.Axis { return &p.X })
	}
	ps := []*plot.Plot{plot.New(), plot.New(), plot.New()}
	ps[0].X.Min, ps[0].X.Max = -0.01, 0.13
	ps[1].X.Min, ps[1].X.Max = -0.02, 0.15
	ps[2].X.Min, ps[2].X.Max = -3, 40
	shareX(ps, []BarPanel{{SharedX: true}, {SharedX: true}, {}})
	for i := range 2 {
		if ps[i].X.Min != -0.02 || ps[i].X.Max != 0.15 {
			t.Errorf("panel %d: x from %v to %v, want -0.02 to 0.15", i, ps[i].X.Min, ps[i].X.Max)
		}
	}
	if ps[2].X.Min != -3 || ps[2].X.Max != 40 {
		t.Errorf("an unshared panel changed: %v to %v", ps[2].X.Min, ps[2].X.Max)
	}
}

// TestDeclutter: labels of points that lie together are moved apart (at
// least a label's height), a label with room stays at its point, and many
// identical points end (the moves only go up).
func TestDeclutter(t *testing.T) {
	xys := plotter.XYs{{X: 0.2, Y: 0.2}, {X: 0.2, Y: 0.2}, {X: 0.21, Y: 0.205}, {X: 0.9, Y: 0.1}}
	labels := []string{"model.push", "model.epsilon0", "area.civil_society", "population.coordinators"}
	at := declutter(xys, labels, 1, 1)
	if at[3] != xys[3] {
		t.Errorf("a label with room moved: %v", at[3])
	}
	for i := range 3 {
		for j := range i {
			if d := math.Abs(at[i].Y - at[j].Y); d < 0.039 {
				t.Errorf("labels %d and %d are %.3f apart, want a label's height (0.04)", i, j, d)
			}
		}
	}
	many := make(plotter.XYs, 40)
	names := make([]string, 40)
	for i := range many {
		many[i], names[i] = plotter.XY{X: 0.5, Y: 0.5}, "model.same_point"
	}
	if at := declutter(many, names, 1, 1); at[len(at)-1].Y == 0.5 && at[0].Y == 0.5 {
		t.Error("40 labels on one point were not moved apart")
	}
}

// TestNiceTicks: labels at round steps, as many decimals as the step
// needs, at most 7 of them (or as asked), whole numbers for counts.
func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		whole  bool
		lo, hi float64
		want   string
	}{
		{true, 0, 265, "0 50 100 150 200 250"},
		{true, 0, 7, "0 2 4 6"},
		{true, 0, 5, "0 1 2 3 4 5"},
		{true, 0, 2400, "0 500 1000 1500 2000"},
		{true, 0, 0.5, "0"},
		{false, -0.98, -0.58, "−0.9 −0.8 −0.7 −0.6"},
		{false, 0.04, 0.38, "0.05 0.10 0.15 0.20 0.25 0.30 0.35"},
		{false, 0, 0.42, "0.0 0.1 0.2 0.3 0.4"},
		{false, -0.32, 0.12, "−0.3 −0.2 −0.1 0.0 0.1"},
		{false, 0, 9.3, "0 2 4 6 8"},
	} {
		var labels []string
		for _, tk := range (niceTicks{whole: c.whole}).Ticks(c.lo, c.hi) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if got := strings.Join(labels, " "); got != c.want {
			t.Errorf("%v to %v (whole %v): labels %q, want %q", c.lo, c.hi, c.whole, got, c.want)
		}
	}
	var five []string
	for _, tk := range (niceTicks{labels: 5}).Ticks(-0.005, 0.13) {
		if tk.Label != "" {
			five = append(five, tk.Label)
		}
	}
	if got := strings.Join(five, " "); got != "0.00 0.05 0.10" {
		t.Errorf("at most 5 labels: %q", got)
	}
	var comma []string
	for _, tk := range (niceTicks{labels: 5, size: Size{DecimalComma: true}}).Ticks(-0.32, 0.12) {
		if tk.Label != "" {
			comma = append(comma, tk.Label)
		}
	}
	if got := strings.Join(comma, " "); got != "−0,3 −0,2 −0,1 0,0 0,1" {
		t.Errorf("decimal comma: %q", got)
	}
}

// TestLabelsFitTheWidth: an axis gets fewer labels as it gets narrower, so
// that labels such as −0.35 never run into each other (they did on the
// A4 effects chart: "-0.3-0.2-0.1").
func TestLabelsFitTheWidth(t *testing.T) {
	for _, w := range []vg.Length{vg.Points(60), vg.Points(120), vg.Points(200), vg.Points(400)} {
		n := labelsFor(w)
		labelled := 0
		for _, tk := range (niceTicks{labels: n}).Ticks(-0.35, 0.05) {
			if tk.Label != "" {
				labelled++
			}
		}
		if labelled < 2 || vg.Length(labelled)*vg.Points(32) > w+vg.Points(32) {
			t.Errorf("width %v: %d labels", w, labelled)
		}
	}
	if got := wrap("wij–zij-kloof (eigen groep min andere groep)", 30); !strings.Contains(got, "\n") {
		t.Errorf("a long label is not wrapped: %q", got)
	}
	if got := wrap("kort", 30); got != "kort" {
		t.Errorf("a short label was wrapped: %q", got)
	}
}
