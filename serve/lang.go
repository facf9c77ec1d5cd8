package serve

import (
	"math"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/sim"
)

// The page's words in English and Dutch. The outputs' names, the
// parameters' meanings, the interventions and the chart titles come from
// package lang, as in the report; the few sentences only this page says
// are here, in one place.

// uiWords are the page's own words.
var uiWords = map[string][2]string{
	"title":                {"hybridsim — what if?", "hybridsim — wat als?"},
	"subtitle":             {"Change the settings, press Run: the what-if (colour) against the area as it is (grey), on the same random numbers.", "Verander de instellingen, druk op Start: het wat-als (kleur) tegenover het gebied zoals het is (grijs), op dezelfde toevalsgetallen."},
	"scenario":             {"Area (preset)", "Gebied (voorbeeld)"},
	"area":                 {"The area", "Het gebied"},
	"run":                  {"The run", "De berekening"},
	"run_button":           {"Run", "Start"},
	"running":              {"running…", "bezig…"},
	"done":                 {"done", "klaar"},
	"cancelled":            {"stopped", "gestopt"},
	"busy":                 {"The server is busy", "De server is bezig"},
	"download_scenario":    {"Download scenario", "Scenario downloaden"},
	"download_data":        {"Download data", "Gegevens downloaden"},
	"baseline":             {"baseline (as it is)", "uitgangssituatie (zoals het is)"},
	"what-if":              {"what-if", "wat-als"},
	"on":                   {"on", "aan"},
	"allowed":              {"allowed", "toegestaan"},
	"weeks_meaning":        {"weeks to simulate", "aantal weken dat wordt gesimuleerd"},
	"replications_meaning": {"replications: runs of each variant on different random numbers (the band is 5–95% of them)", "replicaties: runs van elke variant op verschillende toevalsgetallen (de band is 5–95% ervan)"},
	"seed_meaning":         {"base seed of the random numbers; the same seed gives the same numbers", "startwaarde van de toevalsgetallen; dezelfde waarde geeft dezelfde uitkomsten"},
	"always":               {"In both variants (from the scenario):", "In beide varianten (uit het scenario):"},
	"problems":             {"Please correct:", "Graag verbeteren:"},
	"network_title":        {"The tie network (replication 1)", "Het netwerk van contacten (replicatie 1)"},
	"network_note":         {"grey: professionals · blue: informal parties · gold: coordinators · orange lines: ties across the worlds", "grijs: professionals · blauw: informele partijen · goud: coördinatoren · oranje lijnen: contacten tussen de werelden"},
	"no_network":           {"The tie network is shown for areas of up to 2000 actors.", "Het netwerk wordt getoond voor gebieden tot 2000 actoren."},
	"cross_ties":           {"cross-side ties", "contacten tussen de werelden"},
	"reps_done":            {"%d of %d replications", "%d van %d replicaties"},
	"effect":               {"What-if − baseline, hybridisation, last %d weeks: %s (95%% interval %s … %s, %d replications)", "Wat-als − uitgangssituatie, hybridisering, laatste %d weken: %s (95%%-interval %s … %s, %d replicaties)"},
	"press_run":            {"Move a slider (try the wijktafel's attendance), then press Run.", "Verschuif een schuif (probeer de opkomst bij de wijktafel) en druk op Start."},
	"language":             {"Nederlands", "English"},
	"week":                 {"week", "week"},
	"mean_band":            {"line: mean · band: 5–95% of replications", "lijn: gemiddelde · band: 5–95% van de replicaties"},
	"end_goal":             {"End goal (against onbestemdheid)", "Einddoel (tegen onbestemdheid)"},
	"wijktafel":            {"Wijktafel (against onbekendheid)", "Wijktafel (tegen onbekendheid)"},
	"social_reflection":    {"Social reflection (against onenigheid)", "Sociale reflectie (tegen onenigheid)"},
	"intermediaries":       {"Intermediaries", "Intermediairs"},
	"hybrid_workers":       {"Hybrid workers", "Hybride werkers"},
	"push":                 {"Policy push", "Beleidsdruk"},
	"caseload_relief":      {"Caseload relief", "Verlichting van de caseload"},
	"training":             {"Training of informal parties", "Training van informele partijen"},
	"onbekendheid":         {"onbekendheid (unfamiliarity)", "onbekendheid"},
	"onenigheid":           {"onenigheid (disagreement)", "onenigheid"},
	"onbestemdheid":        {"onbestemdheid (unclear end goal)", "onbestemdheid"},
}

// titles are the chart titles the page takes from package lang.
var titles = []string{"hybridisation_title", "sources_title", "wijzij_title", "modes_title", "households_title", "week"}

// word is a word of the page: its own, else package lang's "ui." word.
func word(key string) [2]string {
	if w, ok := uiWords[key]; ok {
		return w
	}
	return [2]string{lang.EN.UI(key), lang.NL.UI(key)}
}

// words are the page's words, both languages.
func words() map[string][2]string {
	out := map[string][2]string{}
	for k, v := range uiWords {
		out[k] = v
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
