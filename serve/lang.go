package serve

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/sim"
)

// The page's words in English and Dutch all come from package lang: the
// outputs' names, the parameters' meanings, the interventions and the chart
// titles as in the report, and the page's own sentences (lang/serve.go).

// pageWords are the page's own words: "ui.serve_"+key in package lang.
var pageWords = []string{"title", "subtitle", "scenario", "area", "run", "run_button", "running", "done", "cancelled", "busy", "download_scenario", "download_data", "baseline", "what-if", "on", "allowed", "weeks_meaning", "replications_meaning", "seed_meaning", "always", "problems", "network_title", "network_note", "no_network", "cross_ties", "reps_done", "effect", "difference", "press_run", "language", "week", "mean_band", "end_goal", "wijktafel", "social_reflection", "intermediaries", "hybrid_workers", "push", "caseload_relief", "training"}

// titles are the chart titles the page takes from package lang.
var titles = []string{"hybridisation_title", "sources_title", "wijzij_title", "modes_title", "households_title", "week"}

// word is a word of the page: its own ("ui.serve_"+key), else package
// lang's "ui."+key.
func word(key string) [2]string {
	if slices.Contains(pageWords, key) {
		key = "serve_" + key
	}
	return [2]string{lang.EN.UI(key), lang.NL.UI(key)}
}

// words are the page's words, both languages.
func words() map[string][2]string {
	out := map[string][2]string{}
	for _, k := range pageWords {
		out[k] = word(k)
	}
	for _, k := range []string{"onbekendheid", "onenigheid", "onbestemdheid"} {
		out[k] = word(k)
	}
	for _, k := range titles {
		out[k] = word(k)
	}
	return out
}

func dutchMeaning(id, en string) string { return lang.NL.Param(id, en) }

// dutchAllowed says in Dutch what sim.Spec.Allowed says in English.
func dutchAllowed(s sim.Spec) string {
	n := func(x float64) string { return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", ",", 1) }
	switch s.Kind {
	case sim.KindBool:
		return "waar of onwaar"
	case sim.KindString:
		return "een van " + strings.Join(s.Words, ", ")
	}
	var r string
	switch {
	case math.IsInf(s.Max, 1) && s.Kind == sim.KindInt:
		r = "een geheel getal ≥ " + n(s.Min)
	case math.IsInf(s.Max, 1):
		r = "≥ " + n(s.Min)
	case s.Kind == sim.KindInt:
		r = "een geheel getal van " + n(s.Min) + " tot en met " + n(s.Max)
	default:
		r = "van " + n(s.Min) + " tot en met " + n(s.Max)
	}
	if s.Auto {
		r = "−1 (afleiden) of " + r
	}
	return r
}
