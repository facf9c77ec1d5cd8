package scenarios

import (
	"strings"
	"testing"
)

// TestTemplate: the init template loads as a scenario (extending the
// default preset, with its own variant), and every key it shows, set or
// commented out, has what it may be beside it.
func TestTemplate(t *testing.T) {
	text := Template("x.toml")
	s, err := Parse("x.toml", []byte(text))
	if err != nil {
		t.Fatalf("the template does not load: %v", err)
	}
	if _, ok := s.Variant("attractive-wijktafel"); s.Name != "my-area" || !ok {
		t.Errorf("loaded %q with variants %v", s.Name, s.VariantNames())
	}
	if !strings.Contains(text, "'hybridsim validate x.toml'") {
		t.Error("the template does not name its own file")
	}
	keys := 0
	for _, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
		key, _, ok := strings.Cut(l, " = ")
		if !ok || strings.Contains(key, " ") || key == "type" || key == "description" {
			continue
		}
		keys++
		if !strings.Contains(line, "# ") || !strings.ContainsAny(line[strings.Index(line, "= "):], "#") {
			t.Errorf("no allowed values beside %q", line)
		}
	}
	if keys < 15 {
		t.Errorf("found only %d keys", keys)
	}
}
