package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// manifestView is what the report shows of the output's manifest: the
// version, the command line, the first run's seed, the start time and each
// scenario's source and SHA-256.
type manifestView struct {
	Version, CommandLine, Started string
	Seed                          uint64
	Scenarios                     []output.ManifestScenario
}

func viewManifest(m *output.Manifest) manifestView {
	v := manifestView{Version: m.Version, CommandLine: strings.Join(m.CommandLine, " "), Started: m.Started, Scenarios: m.Scenarios}
	if len(m.Seeds) > 0 {
		v.Seed = m.Seeds[0].Seed
	}
	return v
}

// reportNames are the rows of the report's effects table, in this order;
// those the model does not have (version 4's, before it) are left out.
var reportNames = []string{"hybridisation", "joint_of_handled", "direct_share", "unmet_need", "wait_weeks", "time_to_close", "late_escalations", "closed",
	"unnoticed", "caseload_pressure", "ei_index", "wij_zij_gap_formal", "wij_zij_gap_informal",
	"negative_contacts", "conception_distance", "threat_formal", "threat_informal", "informal_active"}

// reportMetrics returns the effects table's outputs that the model has.
func reportMetrics() []sim.Metric { return sim.MetricsNamed(reportNames...) }

type paramRow struct {
	Name, Value, Default, Meaning string
	Changed                       bool
}

type scheduleRow struct {
	Variant, Description string
	Adds                 []string
}

type effectRow struct {
	Scenario, Variant, Metric string
	Weeks                     int // the final weeks the means are over
	Mean, Lo, Hi              string
	Clear                     bool // the interval excludes 0
}

type chartView struct {
	Title, Caption string
	SVG            template.HTML
	// MinWidth is the narrowest the chart is shown, in CSS pixels: 90% of
	// its own width, so that its text stays readable on a phone (it
	// scrolls sideways in its box there).
	MinWidth int
}

type scenarioView struct {
	Name, Description, File string
	Scale                   string // the scale sentence, empty at scale 1
	Params                  []paramRow
	Changed                 int // how many parameters differ from the defaults
	Common                  []string
	Schedule                []scheduleRow
}

// value writes a parameter's value for a reader: numbers with the
// language's decimal mark, words in the language.
func value(l lang.Lang, v any) string {
	switch t := v.(type) {
	case float64:
		return l.Float(t)
	case int:
		return l.Int(t)
	case [4]float64:
		p := make([]string, 4)
		for i, x := range t {
			p[i] = l.Float(x)
		}
		return strings.Join(p, "; ")
	case bool:
		return l.Word(fmt.Sprint(t))
	case string:
		return l.Word(t)
	}
	return fmt.Sprint(v)
}

// describe is an intervention in words: its kind, then each parameter that
// differs from the intervention's defaults, and its schedule.
func describe(l lang.Lang, iv sim.Intervention) string {
	def, _ := sim.NewIntervention(iv.Kind())
	ds := def.Specs()
	var parts []string
	for i, sp := range iv.Specs() {
		if fmt.Sprint(sp.Value()) != fmt.Sprint(ds[i].Value()) || sp.Key == "at" || sp.Key == "every" || sp.Key == "start" {
			parts = append(parts, l.Param(sp.Path(), sp.Meaning)+": "+value(l, sp.Value()))
		}
	}
	return l.Kind(iv.Kind()) + " — " + strings.Join(parts, "; ")
}

// setting is a variant's parameter override in words.
func setting(l lang.Lang, s scenarios.Setting) string {
	p := sim.Defaults()
	meaning := s.Path
	if sp, ok := p.Spec(s.Path); ok {
		meaning = l.Param(s.Path, sp.Meaning)
	}
	return l.Sprintf("sets", meaning) + ": " + value(l, s.Value) + " (" + s.Path + ")"
}

// HTML writes report.html: a single file that opens with the key findings
// (the story and the headline table), then every chart inline as SVG with
// its caption, the scenario's description, what differs from the defaults,
// the interventions of each variant, every difference from the baseline,
// all parameters and how the report was made. It refers to nothing outside
// itself, reads on a phone (the charts and wide tables scroll sideways) and
// prints on A4. man is the output's manifest (output.Manifest.AddRuns).
func HTML(w io.Writer, o *experiment.Output, effects []experiment.Effect, charts []Chart, man *output.Manifest, language string) error {
	l := lang.Lang(language)
	def := sim.Defaults()
	var svs []scenarioView
	var stories []storyView
	for si, s := range o.Scenarios {
		sv := scenarioView{Name: s.Name, Description: l.Text(s.Description), File: s.File}
		if s.Scale != 1 {
			if cfg, err := s.Config(o.Variants[si][0]); err == nil {
				q := cfg.Params
				sv.Scale = l.Sprintf("scaled", l.Float(s.Scale), q.Professionals, q.Informal, q.Coordinators, q.Households)
			}
		}
		p := s.Params
		for _, sp := range p.Specs() {
			d, _ := def.Spec(sp.Path())
			v, dv := value(l, sp.Value()), value(l, d.Value())
			sv.Params = append(sv.Params, paramRow{Name: sp.Path(), Value: v, Default: dv, Meaning: l.Param(sp.Path(), sp.Meaning), Changed: v != dv})
			if v != dv {
				sv.Changed++
			}
		}
		for _, iv := range s.Interventions {
			sv.Common = append(sv.Common, describe(l, iv))
		}
		for _, vn := range o.Variants[si] {
			v, _ := s.Variant(vn)
			row := scheduleRow{Variant: l.Variant(v.Name), Description: l.Text(v.Description)}
			for _, st := range v.Set {
				row.Adds = append(row.Adds, setting(l, st))
			}
			for _, iv := range v.Interventions {
				row.Adds = append(row.Adds, describe(l, iv))
			}
			sv.Schedule = append(sv.Schedule, row)
		}
		svs = append(svs, sv)
		if len(o.Runs) > 0 && len(o.Group(s.Name, o.Reference(si))) > 0 && o.Group(s.Name, o.Reference(si))[0].Result != nil {
			stories = append(stories, story(o, si, effects, l))
		}
	}
	var ers []effectRow
	for _, m := range reportMetrics() {
		for _, e := range effects {
			if e.Metric == m {
				d := max(decimalsFor(0, e.Mean, e.Lo, e.Hi), boundDecimals(e))
				r := effectRow{Scenario: e.Scenario, Variant: l.Variant(e.Variant), Metric: l.Metric(m.String()), Weeks: e.Window,
					Mean: l.Signed(e.Mean, d), Lo: l.Signed(e.Lo, d), Hi: l.Signed(e.Hi, d), Clear: clear(e)}
				if e.N < 2 { // one replication: no interval
					r.Lo, r.Hi = "–", "–"
				}
				ers = append(ers, r)
			}
		}
	}
	var cvs []chartView
	for _, c := range charts {
		var buf bytes.Buffer
		if err := c.Figure.WriteTo(&buf, "svg"); err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		svg := buf.String()
		if i := strings.Index(svg, "<svg"); i > 0 {
			svg = svg[i:] // drop the XML prolog and doctype
		}
		w := c.Figure.Size().W.Points() * 96 / 72 // points to CSS pixels
		cvs = append(cvs, chartView{Title: c.Title, Caption: c.Caption, SVG: template.HTML(svg), MinWidth: int(0.9 * w)})
	}
	ref := "baseline"
	if len(o.Scenarios) > 0 && len(o.Variants) > 0 {
		ref = o.Reference(0)
	}
	title := l.UI("report_title")
	for _, s := range o.Scenarios {
		title += " — " + s.Name
	}
	return page.Execute(w, map[string]any{
		"L": l.UI, "Lang": language, "Title": title, "Stories": stories, "Scenarios": svs, "Effects": ers,
		"EffectsNote": l.Sprintf("effects_note", l.Variant(ref), l.Variant(ref)),
		"Multi":       len(o.Scenarios) > 1, "Charts": cvs, "M": viewManifest(man),
	})
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: Georgia, "Times New Roman", serif; max-width: 60em; margin: 0 auto; padding: 1em; color: #222; line-height: 1.45; overflow-wrap: break-word; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; line-height: 1.2; }
h1 { font-size: 1.6em; }
.story { background: #f4f7fb; border-left: 4px solid #0072B2; padding: 0.6em 1em; margin: 1em 0 2em; }
.story p { font-size: 1.05em; }
.scroll { overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.85em; }
td, th { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
tr.changed td { background: #fff3c4; font-weight: bold; }
td.num { text-align: right; font-family: Menlo, Consolas, monospace; white-space: nowrap; }
tr.clear td { font-weight: bold; }
td.clear { font-weight: bold; background: #e8f3ec; }
td small { display: block; font-weight: normal; color: #555; }
tr.level td { background: #f2f2f2; }
p.note { font-size: 0.85em; color: #444; }
figure { margin: 1.5em 0 2em; }
figure .scroll svg { display: block; width: 100%; min-width: var(--min, 36em); height: auto; }
figcaption { font-size: 0.9em; color: #333; margin-top: 0.4em; }
figcaption strong { font-family: Helvetica, Arial, sans-serif; }
code { font-size: 0.9em; overflow-wrap: anywhere; }
.sha { font-family: Menlo, Consolas, monospace; font-size: 0.8em; overflow-wrap: anywhere; word-break: break-all; }
.charttitle { display: none; font-family: Helvetica, Arial, sans-serif; font-size: 0.9em; margin: 0 0 0.3em; }
.charttitle span { color: #666; font-weight: normal; }
@media (max-width: 40em) {
  body { padding: 0.6em; }
  .charttitle { display: block; } /* the chart's own title may be off screen */
  h1 { font-size: 1.3em; }
  table { font-size: 0.8em; }
}
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .story { background: none; }
  .scroll { overflow: visible; }
  figure .scroll svg { min-width: 0; }
  figure, tr, .story, table.headline { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  p.hint { display: none; }
}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{range .Stories}}<section class="story" aria-label="{{call $.L "key_findings"}}">
<h2>{{call $.L "key_findings"}}{{if $.Multi}} — {{.Scenario}}{{end}}</h2>
<p>{{.Lead}}</p>
{{if .ClearItems}}<p>{{.ClearHead}}</p>
<ul>{{range .ClearItems}}<li>{{.}}</li>{{end}}</ul>
{{end}}<p>{{.Tail}}</p>
<div class="scroll"><table class="headline">
<tr><th>{{call $.L "headline_variant"}}</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr{{if .Level}} class="level"{{end}}><td>{{.Variant}}</td>{{range .Cells}}<td class="num{{if .Clear}} clear{{end}}">{{.Text}}{{if .Sub}}<small>{{.Sub}}</small>{{end}}</td>{{end}}</tr>
{{end}}</table></div>
<p class="note">{{.Note}}</p>
</section>
{{end}}
<h2>{{call .L "charts"}}</h2>
{{range .Charts}}<figure aria-label="{{.Title}}">
<p class="charttitle"><strong>{{.Title}}</strong> <span>{{call $.L "scroll_chart"}}</span></p>
<div class="scroll" style="--min: {{.MinWidth}}px">{{.SVG}}</div>
{{if .Caption}}<figcaption>{{.Caption}}</figcaption>{{end}}
</figure>
{{end}}
{{range .Scenarios}}
<h2>{{.Name}}</h2>
<p>{{.Description}}</p>
<p><small>{{call $.L "file"}}: {{.File}}</small></p>
{{if .Scale}}<p><strong>{{.Scale}}</strong></p>{{end}}
<h3>{{call $.L "differs"}}</h3>
<div class="scroll"><table>
<tr><th>{{call $.L "name"}}</th><th>{{call $.L "value"}}</th><th>{{call $.L "default"}}</th><th>{{call $.L "meaning"}}</th></tr>
{{range .Params}}{{if .Changed}}<tr class="changed"><td><code>{{.Name}}</code></td><td class="num">{{.Value}}</td><td class="num">{{.Default}}</td><td>{{.Meaning}}</td></tr>
{{end}}{{end}}{{if not .Changed}}<tr><td colspan="4"><em>{{call $.L "nothing"}}</em></td></tr>
{{end}}</table></div>
<h3>{{call $.L "schedule"}}</h3>
<div class="scroll"><table>
<tr><td><em>{{call $.L "in_every_variant"}}</em></td><td>{{range .Common}}{{.}}<br>{{else}}{{call $.L "nothing"}}{{end}}</td></tr>
{{range .Schedule}}<tr><td><strong>{{.Variant}}</strong><br><small>{{.Description}}</small></td><td>{{range .Adds}}{{.}}<br>{{else}}{{call $.L "nothing"}}{{end}}</td></tr>
{{end}}</table></div>
{{end}}
<h2>{{call .L "effects"}}</h2>
<p class="note">{{.EffectsNote}}</p>
<div class="scroll"><table>
<tr>{{if .Multi}}<th>{{call .L "scenario"}}</th>{{end}}<th>{{call .L "variant"}}</th><th>{{call .L "metric"}}</th><th>{{call .L "weeks"}}</th><th>{{call .L "mean_diff"}}</th><th colspan="2">{{call .L "interval"}}</th></tr>
{{range .Effects}}<tr{{if .Clear}} class="clear"{{end}}>{{if $.Multi}}<td>{{.Scenario}}</td>{{end}}<td>{{.Variant}}</td><td>{{.Metric}}</td><td class="num">{{.Weeks}}</td><td class="num">{{.Mean}}</td><td class="num">{{.Lo}}</td><td class="num">{{.Hi}}</td></tr>
{{end}}</table></div>
{{range .Scenarios}}
<details>
<summary><strong>{{call $.L "parameters"}} — {{.Name}}</strong></summary>
<p>{{call $.L "param_note"}}</p>
<div class="scroll"><table>
<tr><th>{{call $.L "name"}}</th><th>{{call $.L "value"}}</th><th>{{call $.L "default"}}</th><th>{{call $.L "meaning"}}</th></tr>
{{range .Params}}<tr{{if .Changed}} class="changed"{{end}}><td><code>{{.Name}}</code></td><td class="num">{{.Value}}</td><td class="num">{{.Default}}</td><td>{{.Meaning}}</td></tr>
{{end}}</table></div>
</details>
{{end}}
<h2>{{call .L "manifest"}}</h2>
<div class="scroll"><table>
<tr><th>{{call .L "version"}}</th><td>hybridsim {{.M.Version}}</td></tr>
<tr><th>{{call .L "command"}}</th><td><code>{{.M.CommandLine}}</code></td></tr>
<tr><th>{{call .L "seed"}}</th><td>{{.M.Seed}}</td></tr>
<tr><th>{{call .L "started"}}</th><td>{{.M.Started}}</td></tr>
{{range .M.Scenarios}}<tr><th>{{.Name}}</th><td>{{.Source}}<br>SHA-256 <span class="sha">{{.SHA256}}</span></td></tr>
{{end}}</table></div>
</body>
</html>
`))
