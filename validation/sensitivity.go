package validation

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/hybridsim/hybridsim/scenarios"
)

// Headlines are the one number per pattern that the sensitivity analysis
// follows: the check's measured value averaged over the areas it applies to.
var Headlines = []struct {
	Pattern int
	Check   string
}{
	{1, "hybridisation, last year"},
	{2, "direct_share, last year"},
	{3, "conception spread, lowest tick and side"},
	{4, "informality_formal rise"},
	{5, "all-three minus best single, hybridisation effect"},
	{6, "community_time rise, support 0.5 vs no end goal"},
}

// SensitivityParams are the model coefficients varied one at a time.
var SensitivityParams = []string{
	"model.epsilon0", "model.theta", "model.tie_decay", "model.push", "model.clarity", "model.influence",
	"model.regard_threat", "model.pos_regard", "model.neg_regard", "model.involve_bias", "model.guide_gap",
	"model.learning", "model.conception_sd", "model.iota_rate", "model.dropout_coef", "area.initial_cross_ties",
}

// Sensitivity is the effect of one parameter on one pattern's headline.
type Sensitivity struct {
	Pattern   int
	Param     string
	Low, High float64 // the parameter's values
	Base      float64 // headline at the defaults
	AtLow     float64
	AtHigh    float64
}

// Relative is (headline at high − at low) ÷ |headline at the defaults|.
func (s Sensitivity) Relative() float64 {
	return (s.AtHigh - s.AtLow) / math.Max(math.Abs(s.Base), 1e-9)
}

// OAT runs a one-at-a-time sweep: each parameter of SensitivityParams at
// 0.8× and 1.2× its default (initial_cross_ties at 0.8× and 1.2× its derived
// value), everything else at the presets' values, and returns every
// pattern's headline change.
func OAT(ctx context.Context, opt Options) ([]Sensitivity, error) {
	headline := func(mut func(*scenarios.Scenario)) (map[int]float64, error) {
		o := opt
		o.Mutate = mut
		cs, err := Run(ctx, o)
		if err != nil {
			return nil, err
		}
		sum, n := map[int]float64{}, map[int]int{}
		for _, c := range cs {
			for _, h := range Headlines {
				if c.Pattern == h.Pattern && c.Name == h.Check {
					sum[h.Pattern] += c.Value
					n[h.Pattern]++
				}
			}
		}
		for k := range sum {
			sum[k] /= float64(n[k])
		}
		return sum, nil
	}
	base, err := headline(nil)
	if err != nil {
		return nil, err
	}
	var out []Sensitivity
	for _, path := range SensitivityParams {
		vals := [2]float64{}
		res := [2]map[int]float64{}
		for k, f := range []float64{0.8, 1.2} {
			mut := func(s *scenarios.Scenario) {
				sp, ok := s.Params.Spec(path)
				if !ok {
					panic("unknown sensitivity parameter " + path)
				}
				v := sp.Float()
				if v < 0 && sp.Auto { // derived initial_cross_ties
					v = 0.02 * (1.5 - s.Params.Urbanity)
				}
				v = math.Min(math.Max(v*f, sp.Min), sp.Max)
				vals[k] = v
				if err := sp.Set(v); err != nil {
					panic(err)
				}
			}
			r, err := headline(mut)
			if err != nil {
				return nil, fmt.Errorf("%s ×%g: %w", path, f, err)
			}
			res[k] = r
		}
		for _, h := range Headlines {
			out = append(out, Sensitivity{Pattern: h.Pattern, Param: path, Low: vals[0], High: vals[1], Base: base[h.Pattern], AtLow: res[0][h.Pattern], AtHigh: res[1][h.Pattern]})
		}
	}
	return out, nil
}

// SensitivityTable is the Markdown table of docs/ODD.md: for each pattern,
// its headline at the defaults and the three parameters that change it most.
func SensitivityTable(ss []Sensitivity, top int) string {
	var b strings.Builder
	b.WriteString("| pattern | headline (mean over areas) | at defaults | parameters that move it most (relative change from 0.8× to 1.2×) |\n|---|---|---|---|\n")
	for _, h := range Headlines {
		var ps []Sensitivity
		for _, s := range ss {
			if s.Pattern == h.Pattern {
				ps = append(ps, s)
			}
		}
		sort.SliceStable(ps, func(i, j int) bool { return math.Abs(ps[i].Relative()) > math.Abs(ps[j].Relative()) })
		var parts []string
		for _, s := range ps[:min(top, len(ps))] {
			parts = append(parts, fmt.Sprintf("`%s` %+.0f%%", s.Param, 100*s.Relative()))
		}
		base := 0.0
		if len(ps) > 0 {
			base = ps[0].Base
		}
		fmt.Fprintf(&b, "| %d | %s | %.4f | %s |\n", h.Pattern, h.Check, base, strings.Join(parts, ", "))
	}
	return b.String()
}
