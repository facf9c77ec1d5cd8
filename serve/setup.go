package serve

import (
	"math"
	"net/http"
	"slices"
	"strconv"

	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// control is one control of the set-up panel, from the parameter table
// (sim.Params.Specs, an intervention's Specs): its meaning and what is
// allowed, in English and Dutch, and the range of its slider.
type control struct {
	ID      string    `json:"id"`  // "area.urbanity", "wijktafel.start"
	Key     string    `json:"key"` // the key in scenario files
	Kind    string    `json:"kind"`
	Min     *float64  `json:"min,omitempty"`
	Max     *float64  `json:"max,omitempty"`
	Words   []string  `json:"words,omitempty"`
	Unit    string    `json:"unit,omitempty"`
	Meaning [2]string `json:"meaning"` // English, Dutch
	Allowed [2]string `json:"allowed"`
	Slider  []float64 `json:"slider,omitempty"` // min, max, step of the slider (the field takes any allowed value)
	Weeks   bool      `json:"weeks,omitempty"`  // a week of the run: the slider goes to the run's last week
}

// group is a section of the panel; an intervention's can be switched on
// and off.
type group struct {
	ID       string    `json:"id"`
	Title    [2]string `json:"title"`
	Switch   bool      `json:"switch"`
	Controls []control `json:"controls"`
}

type scenarioInfo struct {
	ID          string         `json:"id"`
	Label       string         `json:"label"`
	Description [2]string      `json:"description"` // English, Dutch
	Values      map[string]any `json:"values"`      // control id → value the page starts from
	On          []string       `json:"on"`          // interventions switched on at start
	Always      []string       `json:"always"`      // interventions in force in both variants
}

type metricInfo struct {
	Name  string    `json:"name"`
	Label [2]string `json:"label"`
	Axis  [2]string `json:"axis"` // what the y axis measures, in plain words
}

type setupBody struct {
	Start     string               `json:"start"`
	Scenarios []scenarioInfo       `json:"scenarios"`
	Groups    []group              `json:"groups"`
	Metrics   []metricInfo         `json:"metrics"`
	Words     map[string][2]string `json:"words"`
	Limits    map[string]float64   `json:"limits"`
}

// startReplications is the replications the page starts with (fewer when
// the scenario has fewer): enough for a band, few enough that a Run is
// done in about a second on two cores.
const startReplications = 12

// areaControls are the area and population parameters on the panel.
var areaControls = []string{"area.urbanity", "area.civil_society", "area.migrant_share", "area.cultural_sensitivity",
	"area.households", "population.professionals", "population.informal", "population.coordinators"}

// hiddenKeys are intervention parameters left off the panel (they keep
// the scenario's values).
var hiddenKeys = []string{"end", "meetings_per_attendee", "cultural_sensitivity"}

// sliders are the slider ranges of whole-number controls whose allowed
// range is far wider than a meeting needs; the number field beside the
// slider takes any allowed value.
var sliders = map[string][]float64{
	"area.households":                   {500, 50000, 500},
	"population.professionals":          {5, 200, 1},
	"population.informal":               {10, 600, 5},
	"population.coordinators":           {0, 20, 1},
	"intermediaries.add":                {0, 20, 1},
	"caseload_relief.add_professionals": {0, 40, 1},
	"caseload_relief.lmax":              {0, 60, 1},
	"every":                             {1, 26, 1},
	"weeks":                             {26, 520, 1},
	"replications":                      {1, 100, 1},
}

func makeControl(id string, sp sim.Spec) control {
	c := control{ID: id, Key: sp.Key, Unit: sp.Unit, Words: sp.Words}
	c.Meaning = [2]string{sp.Meaning, dutchMeaning(id, sp.Meaning)}
	c.Allowed = [2]string{sp.Allowed(), dutchAllowed(sp)}
	switch sp.Kind {
	case sim.KindFloat:
		c.Kind = "number"
	case sim.KindInt:
		c.Kind = "integer"
	case sim.KindBool:
		c.Kind = "bool"
	case sim.KindString:
		c.Kind = "choice"
	}
	if sp.Kind == sim.KindFloat || sp.Kind == sim.KindInt {
		lo, hi := sp.Min, sp.Max
		c.Min = &lo
		if !math.IsInf(hi, 1) {
			c.Max = &hi
		}
		switch {
		case sliders[id] != nil:
			c.Slider = sliders[id]
		case sliders[sp.Key] != nil:
			c.Slider = sliders[sp.Key]
		case sp.Key == "start" || sp.Key == "at":
			c.Slider = []float64{0, 156, 1}
			c.Weeks = true
		case sp.Kind == sim.KindFloat && hi-lo <= 2:
			c.Slider = []float64{lo, hi, 0.01}
		case sp.Kind == sim.KindInt && hi-lo <= 200:
			c.Slider = []float64{lo, hi, 1}
		}
	}
	return c
}

func runControl(id string, lo, hi float64, meaning [2]string) control {
	c := control{ID: id, Key: id, Kind: "integer", Min: &lo, Meaning: meaning, Slider: sliders[id]}
	if hi > 0 {
		c.Max = &hi
		c.Allowed = [2]string{"a whole number from " + strconv.FormatFloat(lo, 'f', -1, 64) + " to " + strconv.FormatFloat(hi, 'f', -1, 64),
			"een geheel getal van " + strconv.FormatFloat(lo, 'f', -1, 64) + " tot en met " + strconv.FormatFloat(hi, 'f', -1, 64)}
	} else {
		c.Allowed = [2]string{"a whole number ≥ 0", "een geheel getal ≥ 0"}
	}
	return c
}

// groups lists the panel's sections.
func groups() []group {
	p := sim.Defaults()
	area := group{ID: "area", Title: word("area")}
	for _, id := range areaControls {
		sp, ok := p.Spec(id)
		if ok {
			area.Controls = append(area.Controls, makeControl(id, sp))
		}
	}
	run := group{ID: "run", Title: word("run"), Controls: []control{
		runControl("weeks", 1, MaxWeeks, word("weeks_meaning")),
		runControl("replications", 1, MaxReplications, word("replications_meaning")),
		runControl("seed", 0, 0, word("seed_meaning")),
	}}
	gs := []group{area}
	// The remedies of the three sources first (wijktafel, social
	// reflection, end goal), then the other interventions in firing order.
	kinds := []string{"wijktafel", "social_reflection", "end_goal"}
	for _, k := range sim.Kinds {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for _, k := range kinds {
		iv, err := sim.NewIntervention(k)
		if err != nil {
			continue
		}
		g := group{ID: k, Title: [2]string{lang.EN.Kind(k), lang.NL.Kind(k)}, Switch: true}
		if slices.Contains(pageWords, k) {
			g.Title = word(k) // with the source it works against
		}
		for _, sp := range iv.Specs() {
			if !slices.Contains(hiddenKeys, sp.Key) {
				g.Controls = append(g.Controls, makeControl(k+"."+sp.Key, sp))
			}
		}
		gs = append(gs, g)
	}
	return append(gs, run)
}

func (s *Server) setup() setupBody {
	body := setupBody{Start: s.opts.Start, Groups: groups(), Words: words(),
		Limits: map[string]float64{"replications": MaxReplications, "weeks": MaxWeeks, "actor_weeks": MaxActorWeeks}}
	for _, id := range s.order {
		b := s.bases[id]
		info := scenarioInfo{ID: id, Label: id, Values: map[string]any{}, Always: []string{},
			Description: [2]string{b.Description, lang.NL.Description("preset."+b.Name, b.Description)}}
		if id == "file" {
			info.Label = b.Name + " (" + b.File + ")"
		}
		info.Values["weeks"] = b.Ticks
		info.Values["replications"] = min(b.Replications, startReplications)
		info.Values["seed"] = b.Seed
		p := b.Params
		for _, c := range areaControls {
			if sp, ok := p.Spec(c); ok {
				info.Values[c] = sp.Value()
			}
		}
		for k, iv := range s.init[id] {
			for _, sp := range iv.Specs() {
				info.Values[k+"."+sp.Key] = sp.Value()
			}
		}
		info.On = []string{"wijktafel"}
		for _, iv := range b.Interventions {
			info.Always = append(info.Always, scenarios.DescribeIntervention(iv))
		}
		body.Scenarios = append(body.Scenarios, info)
	}
	for _, m := range chartMetrics() {
		n := m.String()
		body.Metrics = append(body.Metrics, metricInfo{Name: n, Label: [2]string{lang.EN.Metric(n), lang.NL.Metric(n)},
			Axis: [2]string{lang.EN.Axis(n), lang.NL.Axis(n)}})
	}
	return body
}

func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, s.setup())
}
