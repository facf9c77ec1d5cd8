package lang

// The words of hybridsim serve's page (package serve) that no other output
// uses, under "ui.serve_"; the page's other words (outputs, parameters,
// interventions, chart titles) are the shared ones. They are kept in this
// file, beside the two tables, and added to them when the package loads,
// so that the checks of lang_test.go cover them like every other word.

var serveEN = map[string]string{
	"ui.serve_title":                "hybridsim — what if?",
	"ui.serve_subtitle":             "Change the settings, press Run: the what-if (colour) against the area as it is (grey), on the same random numbers.",
	"ui.serve_scenario":             "Area (preset)",
	"ui.serve_area":                 "The area",
	"ui.serve_run":                  "The run",
	"ui.serve_run_button":           "Run",
	"ui.serve_running":              "running…",
	"ui.serve_done":                 "done",
	"ui.serve_cancelled":            "stopped",
	"ui.serve_busy":                 "The server is busy",
	"ui.serve_download_scenario":    "Download scenario",
	"ui.serve_download_data":        "Download data",
	"ui.serve_baseline":             "baseline (as it is)",
	"ui.serve_what-if":              "what-if",
	"ui.serve_on":                   "on",
	"ui.serve_allowed":              "allowed",
	"ui.serve_weeks_meaning":        "weeks to simulate",
	"ui.serve_replications_meaning": "replications: runs of each variant on different random numbers (the band is 5–95% of them)",
	"ui.serve_seed_meaning":         "base seed of the random numbers; the same seed gives the same numbers",
	"ui.serve_always":               "In both variants (from the scenario):",
	"ui.serve_problems":             "Please correct:",
	"ui.serve_network_title":        "The tie network (replication 1)",
	"ui.serve_network_note":         "grey: professionals · blue: informal parties · gold: coordinators · orange lines: ties across the worlds",
	"ui.serve_no_network":           "The tie network is shown for areas of up to 2000 actors.",
	"ui.serve_cross_ties":           "cross-side ties",
	"ui.serve_reps_done":            "%d of %d replications",
	"ui.serve_effect":               "What-if − baseline, hybridisation, last %d weeks: %s (95%% interval %s … %s, %d replications)",
	"ui.serve_difference":           "what-if − baseline: %s (95%%: %s … %s)",
	"ui.serve_press_run":            "Move a slider (try the wijktafel's attendance), then press Run.",
	"ui.serve_language":             "Nederlands",
	"ui.serve_week":                 "week",
	"ui.serve_mean_band":            "line: mean · band: 5–95% of replications",
	"ui.serve_end_goal":             "End goal (against onbestemdheid)",
	"ui.serve_wijktafel":            "Wijktafel (against onbekendheid)",
	"ui.serve_social_reflection":    "Social reflection (against onenigheid)",
	"ui.serve_intermediaries":       "Intermediaries",
	"ui.serve_hybrid_workers":       "Hybrid workers",
	"ui.serve_push":                 "Policy push",
	"ui.serve_caseload_relief":      "Caseload relief",
	"ui.serve_training":             "Training of informal parties",
}

var serveNL = map[string]string{
	"ui.serve_title":                "hybridsim — wat als?",
	"ui.serve_subtitle":             "Verander de instellingen, druk op Start: het wat-als (kleur) tegenover het gebied zoals het is (grijs), op dezelfde toevalsgetallen.",
	"ui.serve_scenario":             "Gebied (voorbeeld)",
	"ui.serve_area":                 "Het gebied",
	"ui.serve_run":                  "De berekening",
	"ui.serve_run_button":           "Start",
	"ui.serve_running":              "bezig…",
	"ui.serve_done":                 "klaar",
	"ui.serve_cancelled":            "gestopt",
	"ui.serve_busy":                 "De server is bezig",
	"ui.serve_download_scenario":    "Scenario downloaden",
	"ui.serve_download_data":        "Gegevens downloaden",
	"ui.serve_baseline":             "uitgangssituatie (zoals het is)",
	"ui.serve_what-if":              "wat-als",
	"ui.serve_on":                   "aan",
	"ui.serve_allowed":              "toegestaan",
	"ui.serve_weeks_meaning":        "aantal weken dat wordt gesimuleerd",
	"ui.serve_replications_meaning": "replicaties: runs van elke variant op verschillende toevalsgetallen (de band is 5–95% ervan)",
	"ui.serve_seed_meaning":         "startwaarde van de toevalsgetallen; dezelfde waarde geeft dezelfde uitkomsten",
	"ui.serve_always":               "In beide varianten (uit het scenario):",
	"ui.serve_problems":             "Graag verbeteren:",
	"ui.serve_network_title":        "Het netwerk van contacten (replicatie 1)",
	"ui.serve_network_note":         "grijs: professionals · blauw: informele partijen · goud: coördinatoren · oranje lijnen: contacten tussen de werelden",
	"ui.serve_no_network":           "Het netwerk wordt getoond voor gebieden tot 2000 actoren.",
	"ui.serve_cross_ties":           "contacten tussen de werelden",
	"ui.serve_reps_done":            "%d van %d replicaties",
	"ui.serve_effect":               "Wat-als − uitgangssituatie, hybridisering, laatste %d weken: %s (95%%-interval %s … %s, %d replicaties)",
	"ui.serve_difference":           "wat-als − uitgangssituatie: %s (95%%: %s … %s)",
	"ui.serve_press_run":            "Verschuif een schuif (probeer de opkomst bij de wijktafel) en druk op Start.",
	"ui.serve_language":             "English",
	"ui.serve_week":                 "week",
	"ui.serve_mean_band":            "lijn: gemiddelde · band: 5–95% van de replicaties",
	"ui.serve_end_goal":             "Einddoel (tegen onbestemdheid)",
	"ui.serve_wijktafel":            "Wijktafel (tegen onbekendheid)",
	"ui.serve_social_reflection":    "Sociale reflectie (tegen onenigheid)",
	"ui.serve_intermediaries":       "Intermediairs",
	"ui.serve_hybrid_workers":       "Hybride werkers",
	"ui.serve_push":                 "Beleidsdruk",
	"ui.serve_caseload_relief":      "Verlichting van de caseload",
	"ui.serve_training":             "Training van informele partijen",
}

func init() {
	for k, v := range serveEN {
		en[k] = v
	}
	for k, v := range serveNL {
		nl[k] = v
	}
}
