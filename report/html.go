package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// Manifest is what the report shows of the run's manifest.
type Manifest struct {
	Version     string
	CommandLine string
	Seed        uint64
	Scenarios   []ManifestScenario
	Started     string
}

// ManifestScenario is one scenario's identity in the report.
type ManifestScenario struct{ Name, Source, SHA256 string }

// reportMetrics are the rows of the report's effects table.
var reportMetrics = []sim.Metric{sim.Hybridisation, sim.DirectShare, sim.EIIndex, sim.WijZijGapFormal, sim.WijZijGapInformal,
	sim.NegativeContacts, sim.ConceptionDistance, sim.ThreatFormal, sim.ThreatInformal, sim.LateEscalations, sim.InformalActive}

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
	Title string
	SVG   template.HTML
}

type scenarioView struct {
	Name, Description, File string
	Scale                   string // the scale sentence, empty at scale 1
	Params                  []paramRow
	Changed                 int // how many parameters differ from the defaults
	Common                  []string
	Schedule                []scheduleRow
}

// HTML writes report.html: a single file with the scenario's description,
// parameters (non-defaults highlighted), intervention schedule per variant,
// every chart inline as SVG, the effects table and the manifest. It refers
// to nothing outside itself.
func HTML(w io.Writer, o *experiment.Output, effects []experiment.Effect, charts []Chart, man Manifest, lang string) error {
	L := func(k string) string { return tr(lang, k) }
	def := sim.Defaults()
	var svs []scenarioView
	for si, s := range o.Scenarios {
		sv := scenarioView{Name: s.Name, Description: s.Description, File: s.File}
		if s.Scale != 1 {
			if cfg, err := s.Config(o.Variants[si][0]); err == nil {
				q := cfg.Params
				sv.Scale = fmt.Sprintf(L("scaled"), scenarios.Format(s.Scale), q.Professionals, q.Informal, q.Coordinators, q.Households)
			}
		}
		p := s.Params
		for _, sp := range p.Specs() {
			d, _ := def.Spec(sp.Path())
			v, dv := scenarios.Format(sp.Value()), scenarios.Format(d.Value())
			sv.Params = append(sv.Params, paramRow{Name: sp.Path(), Value: v, Default: dv, Meaning: sp.Meaning, Changed: v != dv})
			if v != dv {
				sv.Changed++
			}
		}
		for _, iv := range s.Interventions {
			sv.Common = append(sv.Common, scenarios.DescribeIntervention(iv))
		}
		for _, vn := range o.Variants[si] {
			v, _ := s.Variant(vn)
			row := scheduleRow{Variant: v.Name, Description: v.Description}
			for _, st := range v.Set {
				row.Adds = append(row.Adds, st.Path+" = "+scenarios.Format(st.Value))
			}
			for _, iv := range v.Interventions {
				row.Adds = append(row.Adds, scenarios.DescribeIntervention(iv))
			}
			sv.Schedule = append(sv.Schedule, row)
		}
		svs = append(svs, sv)
	}
	var ers []effectRow
	for _, m := range reportMetrics {
		for _, e := range effects {
			if e.Metric == m {
				r := effectRow{Scenario: e.Scenario, Variant: e.Variant, Metric: L(m.String()), Weeks: e.Window,
					Mean: fmt.Sprintf("%+.4f", e.Mean), Lo: fmt.Sprintf("%+.4f", e.Lo), Hi: fmt.Sprintf("%+.4f", e.Hi), Clear: e.Lo > 0 || e.Hi < 0}
				if e.N < 2 { // one replication: no interval
					r.Lo, r.Hi, r.Clear = "–", "–", false
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
		cvs = append(cvs, chartView{Title: c.Title, SVG: template.HTML(svg)})
	}
	return page.Execute(w, map[string]any{
		"L": L, "Lang": lang, "Scenarios": svs, "Effects": ers, "Charts": cvs, "M": man,
	})
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{call .L "report_title"}}{{range .Scenarios}} — {{.Name}}{{end}}</title>
<style>
body { font-family: Georgia, serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.85em; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
tr.changed td { background: #fff3c4; font-weight: bold; }
td.num { text-align: right; font-family: monospace; }
tr.clear td.num { font-weight: bold; }
figure { margin: 1.5em 0; }
figure svg { width: 100%; height: auto; }
code { font-size: 0.9em; }
</style>
</head>
<body>
<h1>{{call .L "report_title"}}</h1>
{{range .Scenarios}}
<h2>{{.Name}}</h2>
<p>{{.Description}}</p>
<p><small>{{.File}}</small></p>
{{if .Scale}}<p><strong>{{.Scale}}</strong></p>{{end}}
<h3>{{call $.L "differs"}}</h3>
<table>
<tr><th>{{call $.L "name"}}</th><th>{{call $.L "value"}}</th><th>{{call $.L "default"}}</th><th>{{call $.L "meaning"}}</th></tr>
{{range .Params}}{{if .Changed}}<tr class="changed"><td><code>{{.Name}}</code></td><td class="num">{{.Value}}</td><td class="num">{{.Default}}</td><td>{{.Meaning}}</td></tr>
{{end}}{{end}}{{if not .Changed}}<tr><td colspan="4"><em>{{call $.L "nothing"}}</em></td></tr>
{{end}}</table>
<h3>{{call $.L "schedule"}}</h3>
<table>
<tr><td><em>{{call $.L "in_every_variant"}}</em></td><td>{{range .Common}}<code>{{.}}</code><br>{{else}}{{call $.L "nothing"}}{{end}}</td></tr>
{{range .Schedule}}<tr><td><strong>{{.Variant}}</strong><br><small>{{.Description}}</small></td><td>{{range .Adds}}<code>{{.}}</code><br>{{else}}{{call $.L "nothing"}}{{end}}</td></tr>
{{end}}</table>
{{end}}
<h2>{{call .L "charts"}}</h2>
{{range .Charts}}<figure aria-label="{{.Title}}">
{{.SVG}}
</figure>
{{end}}
<h2>{{call .L "effects"}}</h2>
<table>
<tr><th>scenario</th><th>{{call .L "variant"}}</th><th>{{call .L "metric"}}</th><th>{{call .L "weeks"}}</th><th>{{call .L "mean_diff"}}</th><th colspan="2">{{call .L "interval"}}</th></tr>
{{range .Effects}}<tr{{if .Clear}} class="clear"{{end}}><td>{{.Scenario}}</td><td>{{.Variant}}</td><td>{{.Metric}}</td><td class="num">{{.Weeks}}</td><td class="num">{{.Mean}}</td><td class="num">{{.Lo}}</td><td class="num">{{.Hi}}</td></tr>
{{end}}</table>
{{range .Scenarios}}
<details>
<summary><strong>{{call $.L "parameters"}} — {{.Name}}</strong></summary>
<p>{{call $.L "param_note"}}</p>
<table>
<tr><th>{{call $.L "name"}}</th><th>{{call $.L "value"}}</th><th>{{call $.L "default"}}</th><th>{{call $.L "meaning"}}</th></tr>
{{range .Params}}<tr{{if .Changed}} class="changed"{{end}}><td><code>{{.Name}}</code></td><td class="num">{{.Value}}</td><td class="num">{{.Default}}</td><td>{{.Meaning}}</td></tr>
{{end}}</table>
</details>
{{end}}
<h2>{{call .L "manifest"}}</h2>
<table>
<tr><th>version</th><td>hybridsim {{.M.Version}}</td></tr>
<tr><th>command</th><td><code>{{.M.CommandLine}}</code></td></tr>
<tr><th>seed</th><td>{{.M.Seed}}</td></tr>
<tr><th>started</th><td>{{.M.Started}}</td></tr>
{{range .M.Scenarios}}<tr><th>{{.Name}}</th><td>{{.Source}}<br>SHA-256 <code>{{.SHA256}}</code></td></tr>
{{end}}</table>
</body>
</html>
`))
