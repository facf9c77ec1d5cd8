package suggest

import "testing"

func TestNearest(t *testing.T) {
	known := []string{"urbanity", "civil_society", "migrant_share"}
	for _, c := range []struct{ in, want string }{
		{"urbanty", "urbanity"},            // one deletion
		{"civil-society", "civil_society"}, // one substitution
		{"migrant_shares", "migrant_share"},
		{"zzz", ""},                // nothing near
		{"urbanityyy", "urbanity"}, // two insertions: max(2, 10/3) = 3 allowed
		{"", ""},                   // 8 edits from the nearest
	} {
		if got := Nearest(c.in, known); got != c.want {
			t.Errorf("Nearest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Nearest("wijktafel", []string{"baseline", "wijktafels"}); got != "wijktafels" {
		t.Errorf("Nearest(wijktafel) = %q, want wijktafels", got)
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"flaw", "lawn", 2}, {"wij-zij", "wijzij", 1}, {"één", "een", 2}, // runes, not bytes
	} {
		if got := distance(c.a, c.b); got != c.want {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := distance(c.b, c.a); got != c.want {
			t.Errorf("distance(%q, %q) = %d, want %d (symmetric)", c.b, c.a, got, c.want)
		}
	}
}
