package validation

import (
	"context"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

// TestPatterns is the validation suite of MODEL.md section 7: every check on
// the five presets, seed 1, 20 replications per variant (8 with -short).
// The thresholds are MODEL.md's; effects must have 95% intervals that
// exclude zero in the stated direction.
func TestPatterns(t *testing.T) {
	reps := 20
	if testing.Short() {
		reps = 8
	}
	cs, err := Run(context.Background(), Options{Reps: reps, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cs); n != 5*14+3 {
		t.Fatalf("%d checks, want %d", n, 5*14+3)
	}
	for _, c := range cs {
		if !c.Pass {
			t.Errorf("pattern %d, %s, %s: %.4f, want %s %g", c.Pattern, c.Area, c.Name, c.Value, c.Op, c.Threshold)
		}
	}
	if t.Failed() {
		t.Log("\n" + Table(cs))
	}
}

// TestPatternsNeedTheirMechanisms switches off, once per pattern, the
// mechanism behind it and expects that pattern's check to fail: a green
// TestPatterns therefore means something. One area (Slotervaart, a big
// city), seed 1, 8 replications.
func TestPatternsNeedTheirMechanisms(t *testing.T) {
	variant := func(s *scenarios.Scenario, name string) *scenarios.Variant {
		for i := range s.Variants {
			if s.Variants[i].Name == name {
				return &s.Variants[i]
			}
		}
		t.Fatalf("no variant %s", name)
		return nil
	}
	for _, tc := range []struct {
		name     string
		mutate   func(*scenarios.Scenario)
		pressure float64
		check    string // the check that must fail
	}{
		{"1: everyone knows the other side, and ties need no upkeep", func(s *scenarios.Scenario) { s.Params.InitialCrossTies, s.Params.TieDecay = 1, 0 }, 0, "E–I index, last year"},
		{"2: no coordinators to broker", func(s *scenarios.Scenario) { s.Params.Coordinators = 0 }, 0, "direct_share, last year"},
		{"3: no pluriformity on the work floor", func(s *scenarios.Scenario) { s.Params.ConceptionSD = 0.05 }, 0, "conception spread, lowest tick and side"},
		{"3: no shared values", func(s *scenarios.Scenario) { s.Params.ValueMean = 0.6 }, 0, "value_consensus, lowest tick"},
		{"4: professionals do not informalise", func(s *scenarios.Scenario) { s.Params.IotaRate, s.Params.IotaJoint = 0, 0 }, 0, "informality_formal rise"},
		{"4: informal actors do not proto-professionalise (and, so that the mean cannot drift by who joins and leaves, no turnover)", func(s *scenarios.Scenario) {
			s.Params.PiRate, s.Params.DropoutBase, s.Params.DropoutCoef, s.Params.RecruitRate = 0, 0, 0, 0
		}, 0, "protoprof_informal rise"},
		{"5: wijktafels without conversations", func(s *scenarios.Scenario) {
			w := variant(s, "wijktafels").Interventions[0].(*sim.Wijktafel)
			w.MeetingsPerAttendee, w.Facilitated = 0, false
		}, 0, "wijktafels: E–I effect, lower 95% bound"},
		{"5: reflection that reaches nobody", func(s *scenarios.Scenario) {
			variant(s, "social-reflection").Interventions[0].(*sim.SocialReflection).Coverage = 0
		}, 0, "social-reflection: conception_distance effect, upper bound"},
		{"5: an end goal without clarity", func(s *scenarios.Scenario) {
			variant(s, "clear-end-goal").Interventions[0].(*sim.EndGoal).Clarity = 0
		}, 0, "clear-end-goal: threat effect (mean of sides)"},
		{"5: all-three is the end goal alone", func(s *scenarios.Scenario) {
			v := variant(s, "all-three")
			v.Interventions = v.Interventions[2:]
		}, 0, "all-three minus best single, hybridisation effect"},
		{"6: no caseload pressure", nil, 0.0015, "community_time rise, support 0.5 vs no end goal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := Run(context.Background(), Options{Reps: 8, Seed: 1, Areas: []string{"amsterdam-slotervaart"}, Mutate: tc.mutate, PressureRate: tc.pressure, Ticks: 104})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, c := range cs {
				if c.Name == tc.check {
					found = true
					if c.Pass {
						t.Errorf("%s still passes (%.4f %s %g) with the mechanism off", c.Name, c.Value, c.Op, c.Threshold)
					}
				}
			}
			if !found {
				t.Fatalf("no check %q", tc.check)
			}
		})
	}
}

func TestTable(t *testing.T) {
	out := Table([]Check{{Pattern: 1, Name: "x", Area: "a", Value: 0.1, Op: "<", Threshold: 0.15, Pass: true}, {Pattern: 2, Name: "y", Area: "a", Value: 0.6, Op: "<", Threshold: 0.5}})
	if !strings.Contains(out, "pass") || !strings.Contains(out, "FAIL") || !strings.Contains(out, "1 of 2 checks pass") {
		t.Fatal(out)
	}
}
