package sim

import (
	"fmt"
	"testing"
)

// stringer reads as a file format's reader would describe its own value.
type stringer string

func (s stringer) String() string { return string(s) }

// TestSpecSet sets each kind of parameter from the Go values Set takes and
// checks what Value reads back, and that values of other types (among them
// the TOML decoder's int64 and []any, which scenarios converts first) are
// refused with what is allowed.
func TestSpecSet(t *testing.T) {
	p := Defaults()
	spec := func(path string) Spec {
		s, ok := p.Spec(path)
		if !ok {
			t.Fatalf("no parameter %s", path)
		}
		return s
	}
	var wt Wijktafel
	var sr SocialReflection
	ivSpec := func(specs []Spec, key string) Spec {
		for _, s := range specs {
			if s.Key == key {
				return s
			}
		}
		t.Fatalf("no intervention key %s", key)
		return Spec{}
	}
	cases := []struct {
		name string
		spec Spec
		v    any
		want any    // Value after a good Set
		err  string // the error of a bad one
	}{
		{"float", spec("area.urbanity"), 0.25, 0.25, ""},
		{"float from int", spec("area.urbanity"), 1, 1.0, ""},
		{"float out of range", spec("area.urbanity"), 1.5, nil, "must be from 0 to 1, got 1.5"},
		{"int", spec("population.professionals"), 40, 40, ""},
		{"int from whole float", spec("population.professionals"), 40.0, 40, ""},
		{"int not whole", spec("population.professionals"), 40.5, nil, "must be a whole number from 1 to 10000000, got 40.5"},
		{"vec4 slice", spec("model.mu_formal"), []float64{0.1, 0.2, 0.3, 0.4}, [4]float64{0.1, 0.2, 0.3, 0.4}, ""},
		{"vec4 array", spec("model.mu_formal"), [4]float64{0.4, 0.3, 0.2, 0.1}, [4]float64{0.4, 0.3, 0.2, 0.1}, ""},
		{"vec4 short", spec("model.mu_formal"), []float64{0.1, 0.2, 0.3}, nil, "must be four numbers, each from 0 to 1, got 3 numbers"},
		{"vec4 out of range", spec("model.mu_formal"), []float64{0.1, 0.2, 0.3, 2}, nil, "must be four numbers, each from 0 to 1, got 2"},
		{"bool", ivSpec(wt.Specs(), "facilitated"), true, true, ""},
		{"string", ivSpec(sr.Specs(), "facilitator"), "none", "none", ""},
		{"string not a word", ivSpec(sr.Specs(), "facilitator"), "boss", nil, `must be one of coordinator, none, got "boss"`},
		{"text for a number", spec("area.urbanity"), "high", nil, `must be a number (from 0 to 1), got the text "high"`},
		{"list for a number", spec("area.urbanity"), []float64{0.5}, nil, "must be a number (from 0 to 1), got a list [0.5]"},
		{"number for a bool", ivSpec(wt.Specs(), "facilitated"), 1, nil, "must be true or false, got 1"},
		{"number for a word", ivSpec(sr.Specs(), "facilitator"), 1.0, nil, "must be one of coordinator, none, got 1"},
		{"TOML int64", spec("population.professionals"), int64(40), nil, "must be a number (a whole number from 1 to 10000000), got 40"},
		{"TOML array", spec("model.mu_formal"), []any{0.1, 0.2, 0.3, 0.4}, nil, "must be four numbers, each from 0 to 1, got [0.1 0.2 0.3 0.4]"},
		{"described by its reader", spec("area.urbanity"), stringer("a table"), nil, "must be a number (from 0 to 1), got a table"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.spec.Set(c.v)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("Set(%#v) = %v, want %q", c.v, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Set(%#v): %v", c.v, err)
			}
			if got := c.spec.Value(); fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", c.want) {
				t.Errorf("Value() = %#v after Set(%#v), want %#v", got, c.v, c.want)
			}
		})
	}
}

// Set takes Go values and checks them against the parameter's range; the
// error says what is allowed, for a message that names the key.
func ExampleSpec_Set() {
	p := Defaults()
	s, _ := p.Spec("area.urbanity")
	fmt.Println(s.Set(0.8), p.Urbanity)
	fmt.Println(s.Set(1.5))
	fmt.Println(s.Set("high"))
	// Output:
	// <nil> 0.8
	// must be from 0 to 1, got 1.5
	// must be a number (from 0 to 1), got the text "high"
}
