package report

// labels are the charts' and report's words in English and Dutch; the Dutch
// ones use the chapter's own terms.
var labels = map[string][2]string{
	"caption":              {"scenario %s · %d replications · seed %d · hybridsim %s", "scenario %s · %d replicaties · seed %d · hybridsim %s"},
	"week":                 {"week", "week"},
	"hybridisation_title":  {"Hybridisation over time (mean, 90% band)", "Hybridisering in de tijd (gemiddelde, 90%-band)"},
	"hybridisation_y":      {"joint cases / active cases", "gezamenlijke casussen / actieve casussen"},
	"hybridisation":        {"hybridisation", "hybridisering"},
	"sources_title":        {"The three sources of us–them thinking", "De drie bronnen van wij–zij-denken"},
	"onbekendheid":         {"onbekendheid (unfamiliarity)", "onbekendheid"},
	"onenigheid":           {"onenigheid (disagreement)", "onenigheid"},
	"onbestemdheid":        {"onbestemdheid (unclear end goal)", "onbestemdheid"},
	"ei_index":             {"E–I index (−1: closed worlds)", "E–I-index (−1: gesloten)"},
	"negative_contacts":    {"negative contacts / week", "negatieve contacten / week"},
	"conception_distance":  {"conception distance", "afstand opvattingen"},
	"threat":               {"identity threat", "identiteitsdreiging"},
	"wijzij_title":         {"Wij–zij: us–them gap and out-group regard", "Wij–zij: kloof en waardering van de ander"},
	"gap_formal":           {"gap, professionals", "kloof, professionals"},
	"gap_informal":         {"gap, informal parties", "kloof, informele partijen"},
	"regard_formal":        {"out-group regard, professionals", "waardering van de ander, professionals"},
	"regard_informal":      {"out-group regard, informal parties", "waardering van de ander, informele partijen"},
	"active_cases":         {"active cases", "actieve casussen"},
	"modes_title":          {"Co-existence vs co-production: cases by mode", "Co-existentie of coproductie: casussen naar werkwijze"},
	"mode_formal_only":     {"formal only", "alleen formeel"},
	"mode_informal_only":   {"informal only", "alleen informeel"},
	"mode_intermediated":   {"intermediated", "via coördinator"},
	"mode_joint":           {"joint", "gezamenlijk"},
	"mode_waiting":         {"waiting", "wachtend"},
	"mode_unnoticed":       {"unnoticed", "onopgemerkt"},
	"effects_title":        {"Effects against %s, last %s weeks (95%% interval)", "Effecten t.o.v. %s, laatste %s weken (95%%-interval)"},
	"difference":           {"difference", "verschil"},
	"wij_zij_gap_formal":   {"wij–zij gap, professionals", "wij–zij-kloof, professionals"},
	"wij_zij_gap_informal": {"wij–zij gap, informal parties", "wij–zij-kloof, informele partijen"},
	"late_escalations":     {"late escalations per week", "late escalaties per week"},
	"direct_share":         {"direct share (joint ÷ joint + intermediated)", "direct aandeel (gezamenlijk ÷ gezamenlijk + via coördinator)"},
	"threat_formal":        {"identity threat, professionals", "identiteitsdreiging, professionals"},
	"threat_informal":      {"identity threat, informal parties", "identiteitsdreiging, informele partijen"},
	"weeks":                {"weeks", "weken"},
	"informal_active":      {"active informal actors", "actieve informele actoren"},
	"areas":                {"areas compared", "gebieden vergeleken"},
	"report_title":         {"hybridsim report", "hybridsim-rapport"},
	"parameters":           {"All parameters", "Alle parameters"},
	"differs":              {"What differs from the model's defaults", "Wat afwijkt van de standaard van het model"},
	"scaled":               {"Scaled × %s: the runs have %d professionals, %d informal actors, %d coordinators and %d households; the initial cross-tie chance is divided by the same factor. The table below shows the area before scaling.", "Geschaald × %s: de runs hebben %d professionals, %d informele actoren, %d coördinatoren en %d huishoudens; de kans op bestaande contacten tussen de werelden is door dezelfde factor gedeeld. De tabel hieronder toont het gebied vóór schalen."},
	"param_note":           {"Values that differ from the model's defaults are highlighted.", "Waarden die afwijken van de standaard van het model zijn gemarkeerd."},
	"schedule":             {"Interventions per variant", "Interventies per variant"},
	"charts":               {"Charts", "Grafieken"},
	"effects":              {"Effects", "Effecten"},
	"manifest":             {"Manifest", "Manifest"},
	"in_every_variant":     {"in every variant", "in elke variant"},
	"nothing":              {"nothing", "niets"},
	"variant":              {"variant", "variant"},
	"metric":               {"metric", "maat"},
	"mean_diff":            {"mean difference", "gemiddeld verschil"},
	"interval":             {"95% interval", "95%-interval"},
	"name":                 {"name", "naam"},
	"value":                {"value", "waarde"},
	"default":              {"default", "standaard"},
	"meaning":              {"meaning", "betekenis"},
}

// tr returns the label in the language ("nl" or else English).
func tr(lang, key string) string {
	l, ok := labels[key]
	if !ok {
		return key
	}
	if lang == "nl" {
		return l[1]
	}
	return l[0]
}
