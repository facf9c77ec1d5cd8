package lang

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Lang is a language of the output: EN or NL.
type Lang string

// The languages.
const (
	EN Lang = "en"
	NL Lang = "nl"
)

// All lists the languages, English first.
var All = []Lang{EN, NL}

// Parse returns the language named s ("en" or "nl").
func Parse(s string) (Lang, error) {
	switch Lang(s) {
	case EN, NL:
		return Lang(s), nil
	}
	return EN, fmt.Errorf("language must be en or nl, got %q", s)
}

func (l Lang) table() map[string]string {
	if l == NL {
		return nl
	}
	return en
}

// Has reports whether the language has its own word for key.
func (l Lang) Has(key string) bool {
	_, ok := l.table()[key]
	return ok
}

// T returns the word for key in the language; English when the language
// has none, and the key itself when English has none either.
func (l Lang) T(key string) string {
	if w, ok := l.table()[key]; ok {
		return w
	}
	if w, ok := en[key]; ok {
		return w
	}
	return key
}

// UI returns the word of key "ui."+name.
func (l Lang) UI(name string) string { return l.T("ui." + name) }

// Sprintf formats the sentence "ui."+name with args; float64 arguments
// should be formatted with [Lang.Num] first, so that Dutch gets decimal
// commas.
func (l Lang) Sprintf(name string, args ...any) string { return fmt.Sprintf(l.UI(name), args...) }

// Metric returns an output column (a name of sim.Metrics) in words.
func (l Lang) Metric(name string) string { return l.T("metric." + name) }

// Axis returns the plain-language axis label for an output: "axis."+name,
// or the metric's words when there is no separate label.
func (l Lang) Axis(name string) string {
	if l.Has("axis."+name) || EN.Has("axis."+name) {
		return l.T("axis." + name)
	}
	return l.Metric(name)
}

// Variant returns a variant's name as displayed: its own word when it has
// one, else the name itself (a user's own variant).
func (l Lang) Variant(name string) string {
	if w, ok := l.table()["variant."+name]; ok {
		return w
	}
	return name
}

// Kind returns an intervention kind (sim.Kinds) in words.
func (l Lang) Kind(kind string) string { return l.T("kind." + kind) }

// Word returns a value word (a perspective, facilitator, side, role or
// case mode) in words; the word itself when there is none.
func (l Lang) Word(w string) string {
	if x, ok := l.table()["word."+w]; ok {
		return x
	}
	if x, ok := en["word."+w]; ok {
		return x
	}
	return w
}

// Param returns the meaning of the parameter at path ("group.key"): in
// English the model's own line (english, sim.Spec.Meaning), in Dutch the
// translation keyed by the path.
func (l Lang) Param(path, english string) string {
	if l == EN {
		return english
	}
	if w, ok := l.table()["param."+path]; ok {
		return w
	}
	return english
}

// Text returns the language's version of a text that a preset scenario
// file writes in English (a preset's or a variant's description); a text it
// does not know, such as the description in a user's own scenario, is
// returned as written.
func (l Lang) Text(english string) string {
	if l == NL {
		if w, ok := nlTexts[english]; ok {
			return w
		}
	}
	return english
}

// Description is Text(english); key (for example "preset.NAME") is no
// longer needed and ignored. Kept for callers written against the first
// version of this package (serve); new code calls Text.
func (l Lang) Description(key, english string) string { return l.Text(english) }

// HasText reports whether Text gives the language's own version of english.
func (l Lang) HasText(english string) bool {
	if l == NL {
		_, ok := nlTexts[english]
		return ok
	}
	return true
}

// Num writes x with decimals decimals: a decimal comma in Dutch, a point in
// English, and a real minus sign (−).
func (l Lang) Num(x float64, decimals int) string {
	if math.IsNaN(x) {
		return "–"
	}
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no −0
	}
	return l.localise(s)
}

// Signed is Num with a sign always written (+0,05, −0,05).
func (l Lang) Signed(x float64, decimals int) string {
	s := l.Num(x, decimals)
	if !strings.HasPrefix(s, "−") {
		s = "+" + s
	}
	return s
}

// Float writes x in the fewest digits that read back exactly (as a
// scenario file would), with the language's decimal mark.
func (l Lang) Float(x float64) string { return l.localise(strconv.FormatFloat(x, 'g', -1, 64)) }

// Int writes a whole number.
func (l Lang) Int(n int) string { return l.localise(strconv.Itoa(n)) }

// localise swaps the decimal point and the ASCII minus of a formatted
// number.
func (l Lang) localise(s string) string {
	s = strings.ReplaceAll(s, "-", "−")
	if l == NL {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// Decimals is the number of decimals that shows x to about three
// significant digits (at most 4, at least 0).
func Decimals(x float64) int {
	x = math.Abs(x)
	switch {
	case x == 0 || x >= 100:
		return 0
	case x >= 10:
		return 1
	case x >= 1:
		return 2
	case x >= 0.1:
		return 3
	}
	return 4
}

// Keys returns every key of the English table with the given prefix.
func Keys(prefix string) []string {
	var ks []string
	for k := range en {
		if strings.HasPrefix(k, prefix) {
			ks = append(ks, k)
		}
	}
	return ks
}

// Missing returns the keys among keys that the language has no word for.
func (l Lang) Missing(keys []string) []string {
	var out []string
	for _, k := range keys {
		if !l.Has(k) {
			out = append(out, k)
		}
	}
	return out
}

// Tf formats the word of key (any namespace) with args.
func (l Lang) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }
