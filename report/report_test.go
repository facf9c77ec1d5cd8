package report

import (
	"bytes"
	"context"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/spatial/r2"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/plots"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// smallOutput runs the default preset: 3 replications of 20 ticks.
func smallOutput(t *testing.T, refs ...string) *experiment.Output {
	t.Helper()
	var ss []*scenarios.Scenario
	for _, r := range refs {
		s, err := scenarios.Load(r)
		if err != nil {
			t.Fatal(err)
		}
		s.Replications, s.Ticks = 3, 20
		ss = append(ss, s)
	}
	return execute(t, ss)
}

// execute runs the scenarios' given variants (none: all).
func execute(t *testing.T, ss []*scenarios.Scenario, variants ...string) *experiment.Output {
	t.Helper()
	plan, err := experiment.FromScenarios(ss, variants)
	if err != nil {
		t.Fatal(err)
	}
	o, err := experiment.Execute(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestEveryChartForTheDefaultPreset(t *testing.T) {
	o := smallOutput(t, "default")
	charts, err := Charts(o, o.Effects(), Options{Lang: "en", Size: plots.SizeDefault, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range charts {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "hybridisation,sources,wij-zij,modes,effects,households,network" {
		t.Fatalf("charts %s", got)
	}
	dir := t.TempDir()
	files, err := WriteCharts(dir, charts, []string{"png", "svg", "pdf"})
	if err != nil || len(files) != 21 {
		t.Fatalf("%d files, %v", len(files), err)
	}
}

func TestCompareCharts(t *testing.T) {
	o := smallOutput(t, "hoorn", "purmerend")
	charts, err := Charts(o, o.Effects(), Options{Lang: "nl", Size: plots.SizeA4, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range charts {
		names = append(names, c.Name)
	}
	got := strings.Join(names, ",")
	if !strings.Contains(got, "hoorn-hybridisation") || !strings.HasSuffix(got, "compare-hybridisation,compare-effects") {
		t.Fatalf("charts %s", got)
	}
	if !strings.Contains(charts[0].Title, "Hybridisering") {
		t.Errorf("Dutch title %q", charts[0].Title)
	}
}

func TestReportIsSelfContained(t *testing.T) {
	o := smallOutput(t, "purmerend")
	eff := o.Effects()
	charts, err := Charts(o, eff, Options{Lang: "en", Size: plots.SizeDefault, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sha := strings.Repeat("ab", 32)
	var buf bytes.Buffer
	man := &output.Manifest{Version: "test", CommandLine: []string{"hybridsim", "run", "purmerend"}, Seeds: []output.ManifestRun{{Seed: 1}}, Scenarios: []output.ManifestScenario{{Name: "purmerend", Source: "preset:purmerend", SHA256: sha}}}
	if err := HTML(&buf, o, eff, charts, man, "en"); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	svgs, highlighted := 0, 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "svg":
				svgs++
			case "tr":
				for _, a := range n.Attr {
					if a.Key == "class" && a.Val == "changed" {
						highlighted++
					}
				}
			}
			for _, a := range n.Attr {
				if (a.Key == "src" || a.Key == "href") && !strings.HasPrefix(a.Val, "#") {
					t.Errorf("external reference %s=%q", a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if svgs != len(charts) {
		t.Errorf("%d inline SVGs, want %d charts", svgs, len(charts))
	}
	// Purmerend differs from the defaults in u? no: c, d, k, ι0 and the end goal.
	if highlighted < 4 {
		t.Errorf("%d highlighted parameters, want at least 4 (c, d, k, ι0)", highlighted)
	}
	if !strings.Contains(page, sha) {
		t.Error("report lacks the manifest's SHA-256")
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?https?:|url\(\s*["']?https?:|@import`).FindString(page); m != "" {
		t.Errorf("report references an external URL: %s", m)
	}
	for _, want := range []string{"civil_society", "push-only", "Interventions per variant", "hybridisation"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestReportStatesTheScale: a scaled scenario's report says so, with the
// counts the runs had, in both languages; an unscaled one says nothing.
func TestReportStatesTheScale(t *testing.T) {
	s, err := scenarios.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	s.Scale = 2
	s.Replications, s.Ticks = 1, 3
	o := execute(t, []*scenarios.Scenario{s}, "baseline")
	if c := caption(o, Options{Lang: "en", Version: "test"}); !strings.Contains(c, "default ×2") {
		t.Errorf("caption %q does not name the scale", c)
	}
	for lang, want := range map[string]string{
		"en": "Scaled × 2: the runs have 24 professionals, 300 informal parties, 4 coordinators and 10000 households",
		"nl": "Geschaald × 2: de runs hebben 24 professionals, 300 informele partijen, 4 coördinatoren en 10000 huishoudens",
	} {
		var buf bytes.Buffer
		if err := HTML(&buf, o, nil, nil, &output.Manifest{Version: "test"}, lang); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), want) {
			t.Errorf("%s report does not state the scale (%q)", lang, want)
		}
	}
	var buf bytes.Buffer
	if err := HTML(&buf, smallOutput(t, "default"), nil, nil, &output.Manifest{Version: "test"}, "en"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Scaled ×") {
		t.Error("an unscaled report mentions a scale")
	}
}

// TestReportWordsAndWindows: every metric the report and the effects chart
// name has words in both languages (not its column name); the effects say
// over how many final weeks they are measured (20 here, not 52); a
// scenario that changes no parameter says so; and one replication gives no
// interval (and nothing is highlighted as clear of 0).
func TestReportWordsAndWindows(t *testing.T) {
	for _, m := range append(reportMetrics(), effectMetrics()...) {
		for _, l := range lang.All {
			if !l.Has("metric." + m.String()) {
				t.Errorf("%s has no %s words (the report would show its column name)", m, l)
			}
		}
	}
	o := smallOutput(t, "default")
	eff := o.Effects()
	charts, err := Charts(o, eff, Options{Lang: "en", Size: plots.SizeDefault, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if title := charts[4].Title; !strings.Contains(title, "last 20 weeks") {
		t.Errorf("effects chart title %q, want the 20 weeks of these runs", title)
	}
	var buf bytes.Buffer
	if err := HTML(&buf, o, eff, charts, &output.Manifest{}, "en"); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`<th>weeks</th>`).MatchString(buf.String()) || !strings.Contains(buf.String(), `<td class="num">20</td>`) {
		t.Error("the effects table does not give the weeks")
	}
	if !regexp.MustCompile(`What differs from the model&#39;s defaults</h3>\s*<div class="scroll"><table>\s*<tr>.*</tr>\s*<tr><td colspan="4"><em>nothing</em>`).MatchString(buf.String()) {
		t.Error("the default preset's 'what differs' table does not say nothing differs")
	}
	one := []experiment.Effect{eff[0]}
	one[0].N, one[0].Mean, one[0].Lo, one[0].Hi = 1, 0.5, 0.5, 0.5 // what Effects gives for one replication
	buf.Reset()
	if err := HTML(&buf, o, one, nil, &output.Manifest{}, "en"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `class="clear"`) || !strings.Contains(buf.String(), `<td class="num">–</td>`) {
		t.Error("one replication: the report shows an interval or highlights the effect as clear of 0")
	}
}

// TestNetworkRunIsTheSameRun: the network chart's run (replication 1 of the
// reference, run again with the network kept) has exactly the weekly
// outputs of the run in the experiment, and its layout is the same every
// time (the default preset, 3 replications of 20 weeks).
func TestNetworkRunIsTheSameRun(t *testing.T) {
	o := smallOutput(t, "default")
	r, err := NetworkRun(o, 0, "baseline", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Series, o.Group("default", "baseline")[0].Result.Series) {
		t.Fatal("the network's run differs from the experiment's")
	}
	if len(r.Edges) == 0 {
		t.Fatal("no ties kept")
	}
	a, okA := Layout(r)
	b, okB := Layout(r)
	if !okA || !okB {
		t.Fatal("the layout broke down")
	}
	if !slices.Equal(a.X, b.X) || !slices.Equal(a.Y, b.Y) {
		t.Error("the layout differs between two calls")
	}
	cross := 0
	for _, e := range a.Edges {
		if e.Cross {
			cross++
			if a.Group[e.A] == a.Group[e.B] {
				t.Errorf("a cross tie within one side: %+v", e)
			}
		}
	}
	want := 0
	for _, x := range r.Actors {
		if x.Active {
			want += x.CrossTies
		}
	}
	if 2*cross > want || cross == 0 && want > 0 {
		t.Errorf("%d cross ties drawn, the actors count %d ends", cross, want)
	}
}

// TestStory: the report opens with the key findings, in both languages: the
// reference level of hybridisation (the mean the test computes itself from
// the runs), the households' outcomes, every variant whose interval is
// clear of 0 named as clearly different (and none of the others), and the
// sentence that these are comparisons, not forecasts. Default preset, 3
// replications of 20 weeks, seed 1.
func TestStory(t *testing.T) {
	o := smallOutput(t, "default")
	eff := o.Effects()
	level := 0.0
	for _, r := range o.Group("default", "baseline") {
		x, _ := experiment.LastMean(r.Result, sim.Hybridisation)
		level += x / 3
	}
	clearV := map[string]bool{}
	for _, e := range eff {
		for _, m := range storyMetrics() {
			if e.Metric == m && e.N > 1 && (e.Lo > 0 || e.Hi < 0) {
				clearV[e.Variant] = true
			}
		}
	}
	for _, l := range lang.All {
		sv := story(o, 0, eff, l)
		text := strings.Join(sv.Sentences, " ")
		if n := len(sv.Sentences); n < 3 || n > 5 {
			t.Errorf("%s: %d sentences, want 3 to 5: %s", l, n, text)
		}
		d := sig(level, 3)
		if !strings.Contains(sv.Sentences[0], l.Num(level, d)) && !strings.Contains(sv.Sentences[0], l.Num(level, d+1)) && !strings.Contains(sv.Sentences[0], l.Num(level, d+2)) {
			t.Errorf("%s: the first sentence does not give the baseline level %v: %s", l, level, sv.Sentences[0])
		}
		if !strings.Contains(text, l.UI("story_nature")) {
			t.Errorf("%s: no sentence on what the numbers are", l)
		}
		clearPart := ""
		for _, s := range sv.Sentences {
			if strings.HasPrefix(s, strings.TrimSuffix(l.Sprintf("story_clear", ""), ".")) {
				clearPart = s
			}
		}
		for _, v := range o.Variants[0][1:] {
			named := strings.Contains(clearPart, l.Sprintf("story_variant", l.Variant(v)))
			if named != clearV[v] {
				t.Errorf("%s: variant %s named as clearly different: %v, its intervals say %v", l, v, named, clearV[v])
			}
		}
		if l == lang.NL && (strings.Contains(text, "baseline") || regexp.MustCompile(`\d\.\d`).MatchString(text)) {
			t.Errorf("nl: English word or decimal point in the story: %s", text)
		}
		if len(sv.Rows) != len(o.Variants[0]) || len(sv.Columns) != len(storyMetrics()) {
			t.Errorf("%s: headline table %d rows × %d columns", l, len(sv.Rows), len(sv.Columns))
		}
	}
}

// TestDutchReportHasNoEnglish: the Dutch report of the default preset shows
// none of the English words the report and charts use, and no number with
// a decimal point outside the manifest's command line and hashes.
func TestDutchReportHasNoEnglish(t *testing.T) {
	o := smallOutput(t, "default")
	eff := o.Effects()
	charts, err := Charts(o, eff, Options{Lang: "nl", Size: plots.SizeA4, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := HTML(&buf, o, eff, charts, &output.Manifest{Version: "test"}, "nl"); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "style" || n.Data == "code" || n.Data == "small") {
			return // CSS, scenario-file keys, the file name
		}
		if n.Type == html.TextNode {
			text.WriteString(n.Data + " ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	page := text.String()
	for _, w := range []string{"baseline", "all-three", "push-only", "social-reflection", "clear-end-goal", "informal actors", "informele actoren",
		"Interventions", "variant descriptions", "replications", "hybridisation", "difference", "Key findings", "meaning", "late escalation", "No intervention"} {
		if strings.Contains(page, w) {
			t.Errorf("the Dutch report shows %q", w)
		}
	}
	if m := regexp.MustCompile(`\d\.\d`).FindString(page); m != "" {
		t.Errorf("the Dutch report has a decimal point: %q", m)
	}
}

// TestStoryWithOneReplication: one replication gives no intervals, so the
// story says so instead of "no variant differs clearly".
func TestStoryWithOneReplication(t *testing.T) {
	s, err := scenarios.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	s.Replications, s.Ticks = 1, 10
	o := execute(t, []*scenarios.Scenario{s}, "baseline", "all-three")
	for _, l := range lang.All {
		text := strings.Join(story(o, 0, o.Effects(), l).Sentences, " ")
		if !strings.Contains(text, l.UI("story_one_rep")) || strings.Contains(text, l.UI("story_clear_none")) {
			t.Errorf("%s: %s", l, text)
		}
	}
}

// TestLayoutGuard: the layout stops when two nodes share a place or a
// position is not a number (gonum's Barnes–Hut tree would then recurse
// without end).
func TestLayoutGuard(t *testing.T) {
	nodes := []graph.Node{simple.Node(0), simple.Node(1), simple.Node(2)}
	for name, c := range map[string]struct {
		pos  map[int64]r2.Vec
		want bool
	}{
		"distinct":   {map[int64]r2.Vec{0: {X: 0, Y: 0}, 1: {X: 1, Y: 0}, 2: {X: 0, Y: 1}}, true},
		"same place": {map[int64]r2.Vec{0: {X: 0, Y: 0}, 1: {X: 1, Y: 0}, 2: {X: 1, Y: 0}}, false},
		"NaN":        {map[int64]r2.Vec{0: {X: 0, Y: 0}, 1: {X: math.NaN(), Y: 0}, 2: {X: 0, Y: 1}}, false},
		"infinite":   {map[int64]r2.Vec{0: {X: 0, Y: 0}, 1: {X: 1, Y: 0}, 2: {X: 0, Y: math.Inf(1)}}, false},
	} {
		if got := distinctFinite(nodes, func(id int64) r2.Vec { return c.pos[id] }); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}

// TestModeVariants: the modes chart draws two variants whenever there are
// two, and its caption names the ones drawn (a run of baseline and one
// other variant drew the baseline alone under a caption that promised the
// all-three variant).
func TestModeVariants(t *testing.T) {
	for _, c := range []struct{ vs, want []string }{
		{[]string{"baseline", "wijktafels", "all-three"}, []string{"baseline", "all-three"}},
		{[]string{"baseline", "late-push"}, []string{"baseline", "late-push"}},
		{[]string{"late-push", "baseline"}, []string{"baseline", "late-push"}},
		{[]string{"a", "b", "c"}, []string{"a", "c"}},
		{[]string{"all-three"}, []string{"all-three"}},
		{[]string{"all-three", "baseline"}, []string{"baseline", "all-three"}},
	} {
		if got := modeVariants(c.vs); !slices.Equal(got, c.want) {
			t.Errorf("modeVariants(%v) = %v, want %v", c.vs, got, c.want)
		}
	}
	for _, l := range []lang.Lang{"en", "nl"} {
		got := l.Sprintf("cap_modes", strings.Join([]string{l.Variant("baseline"), l.Variant("late-push")}, l.UI("story_and")))
		if !strings.Contains(got, l.Variant("late-push")) || strings.Contains(got, "%!") {
			t.Errorf("%s caption: %q", l, got)
		}
	}
}

// TestBoundDecimals: a clear effect's bound nearest 0 shows at least one
// significant digit (the newcomer saw "clearly different" beside an
// interval printed as 0.0000 to 0.0035).
func TestBoundDecimals(t *testing.T) {
	for _, c := range []struct {
		e    experiment.Effect
		want int
	}{
		{experiment.Effect{N: 20, Mean: 0.0018, Lo: 0.00002, Hi: 0.0035}, 5},
		{experiment.Effect{N: 20, Mean: -0.2, Lo: -0.3, Hi: -0.004}, 3},
		{experiment.Effect{N: 20, Mean: 0.001, Lo: -0.001, Hi: 0.003}, 0}, // not clear
		{experiment.Effect{N: 20, Mean: 1, Lo: 1e-12, Hi: 2}, 6},          // at most 6
	} {
		if got := boundDecimals(c.e); got != c.want {
			t.Errorf("boundDecimals(%+v) = %d, want %d", c.e, got, c.want)
		}
		if d := c.want; d > 0 && d < 6 {
			if s := strconv.FormatFloat(math.Min(math.Abs(c.e.Lo), math.Abs(c.e.Hi)), 'f', d, 64); strings.Trim(s, "0.") == "" {
				t.Errorf("%d decimals print the bound as %s", d, s)
			}
		}
	}
}
