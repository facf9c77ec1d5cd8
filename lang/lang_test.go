package lang

import (
	"maps"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// specPaths lists the path of every parameter a scenario can set: the
// model's and every intervention kind's.
func specPaths(t *testing.T) map[string]string {
	t.Helper()
	paths := map[string]string{}
	p := sim.Defaults()
	for _, s := range p.Specs() {
		paths[s.Path()] = s.Meaning
	}
	for _, k := range sim.Kinds {
		iv, err := sim.NewIntervention(k)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range iv.Specs() {
			paths[s.Path()] = s.Meaning
		}
	}
	return paths
}

// TestEveryVisibleWordHasDutch fails when anything a reader of a Dutch
// report or terminal sees has no Dutch: every output column, every
// parameter meaning, every intervention kind and value word, every preset's
// and every variant's description and name, and every word of the charts,
// report and terminal (the ui., axis. and other keys of the English table).
func TestEveryVisibleWordHasDutch(t *testing.T) {
	need := func(what, key string) {
		t.Helper()
		if !NL.Has(key) {
			t.Errorf("%s: no Dutch for %q: add it to lang/nl.go", what, key)
		}
	}
	for _, m := range sim.Metrics {
		need("output column "+m, "metric."+m)
		if !EN.Has("metric." + m) {
			t.Errorf("output column %s: no English words for %q: add it to lang/en.go", m, "metric."+m)
		}
	}
	for path := range specPaths(t) {
		need("parameter "+path, "param."+path)
	}
	for _, k := range sim.Kinds {
		need("intervention kind", "kind."+k)
		iv, _ := sim.NewIntervention(k)
		for _, s := range iv.Specs() {
			for _, w := range s.Words {
				need("value of "+s.Path(), "word."+w)
			}
		}
	}
	for _, w := range []string{"formal", "informal", "coordinator", "casework", "community", "hybrid", "volunteer", "resident_org", "self_org", "expert", "true", "false"} {
		need("side, role or yes/no", "word."+w)
	}
	for _, name := range scenarios.Presets() {
		s, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if !NL.HasText(s.Description) {
			t.Errorf("preset %s: its description %q has no Dutch (add it to nlTexts in lang/nl.go)", name, s.Description)
		}
		for _, v := range s.Variants {
			need("variant name in preset "+name, "variant."+v.Name)
			if !NL.HasText(v.Description) {
				t.Errorf("preset %s, variant %s: its description %q has no Dutch (add it to nlTexts in lang/nl.go)", name, v.Name, v.Description)
			}
		}
	}
	for k := range en {
		need("English key", k)
	}
	for k := range nl {
		if strings.HasPrefix(k, "ui.") || strings.HasPrefix(k, "axis.") || strings.HasPrefix(k, "kind.") || strings.HasPrefix(k, "word.") || strings.HasPrefix(k, "metric.") {
			if !EN.Has(k) {
				t.Errorf("Dutch key %q has no English", k)
			}
		}
	}
}

// TestDutchUsesTheChaptersWords: the chapter says informele partijen (not
// actoren), te laat opgeschaald (not late escalaties), and speaks of a
// threat to one's role and identity (not identiteitsdreiging); and Dutch
// numbers in sentences have decimal commas.
func TestDutchUsesTheChaptersWords(t *testing.T) {
	banned := []string{"informele actor", "escalatie", "identiteitsdreiging", "t.o.v.", "baseline"}
	all := maps.Clone(nl)
	for e, d := range nlTexts {
		all["text "+e] = d
	}
	for k, w := range all {
		lw := strings.ToLower(w)
		for _, b := range banned {
			if strings.Contains(lw, b) {
				t.Errorf("%s: %q contains %q", k, w, b)
			}
		}
		if strings.ContainsAny(w, "0123456789") {
			for i := 1; i+1 < len(w); i++ {
				if w[i] == '.' && isDigit(w[i-1]) && isDigit(w[i+1]) {
					t.Errorf("%s: %q has a decimal point", k, w)
				}
			}
		}
	}
	// And the English side does not say "informal actors" to a reader either.
	for k, w := range en {
		if strings.Contains(w, "informal actor") {
			t.Errorf("%s: %q says informal actors (the report says informal parties)", k, w)
		}
	}
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func TestNumbers(t *testing.T) {
	for _, c := range []struct {
		l    Lang
		x    float64
		d    int
		want string
		sign bool
	}{
		{EN, 0.125, 3, "0.125", false},
		{NL, 0.125, 3, "0,125", false},
		{NL, -0.05, 2, "−0,05", false},
		{NL, 0.05, 2, "+0,05", true},
		{EN, -0.0001, 2, "0.00", false},
		{EN, -0.0001, 2, "+0.00", true},
		{NL, 1234.5, 1, "1234,5", false},
	} {
		got := c.l.Num(c.x, c.d)
		if c.sign {
			got = c.l.Signed(c.x, c.d)
		}
		if got != c.want {
			t.Errorf("%s %v (%d): %q, want %q", c.l, c.x, c.d, got, c.want)
		}
	}
}

func TestLookupsFallBack(t *testing.T) {
	if got := NL.Variant("my-own"); got != "my-own" {
		t.Errorf("a user's variant is shown as %q", got)
	}
	if got := NL.Variant("all-three"); got != "alle drie" {
		t.Errorf("all-three in Dutch: %q", got)
	}
	if got := NL.Text("My own words."); got != "My own words." {
		t.Errorf("a user's own description was replaced: %q", got)
	}
	if got := NL.Text("No intervention: the area as it is."); got != "Geen interventie: het gebied zoals het is." {
		t.Errorf("the preset's description is not translated: %q", got)
	}
	if got := NL.Param("area.urbanity", "english"); strings.Contains(got, "english") {
		t.Errorf("Dutch parameter meaning %q", got)
	}
	if got := EN.Param("area.urbanity", "english"); got != "english" {
		t.Errorf("English parameter meaning %q, want the model's own", got)
	}
	if _, err := Parse("de"); err == nil {
		t.Error("Parse accepted de")
	}
}

// TestFormatsAreWellFormed: a word with a verb (%s, %d) is a format, so a
// literal percent sign in it must be written %%; one without a verb is
// shown as it is and must not contain %%.
func TestFormatsAreWellFormed(t *testing.T) {
	for _, table := range []map[string]string{en, nl} {
		for k, w := range table {
			isFormat := false
			for i := 0; i+1 < len(w); i++ {
				if w[i] == '%' && strings.ContainsRune("sdv[", rune(w[i+1])) {
					isFormat = true
				}
			}
			for i := 0; i < len(w); i++ {
				if w[i] != '%' {
					continue
				}
				next := byte(0)
				if i+1 < len(w) {
					next = w[i+1]
				}
				switch {
				case isFormat && next == '%':
					i++
				case isFormat && strings.ContainsRune("sdv[", rune(next)):
				case isFormat:
					t.Errorf("%s: %q has a lone %% (write %%%%)", k, w)
				case next == '%':
					t.Errorf("%s: %q is no format but has %%%%", k, w)
				}
			}
		}
	}
}
