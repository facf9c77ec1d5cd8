package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hybridsim/hybridsim/sweep"
)

// printSweepResult shows a sweep's main result on the terminal: for Morris
// and Sobol the three most influential parameters of each variant and
// output (by μ* or by the total index ST); for a grid or Latin hypercube
// the design points with the highest and the lowest replication mean.
func printSweepResult(w io.Writer, p *sweep.Plan, m sweep.Means) {
	sw := p.Sweep
	switch sw.Design {
	case "morris", "sobol":
		by, what := "mu_star", "μ*"
		if sw.Design == "sobol" {
			by, what = "ST", "total index ST"
		}
		idx := p.Indices(m)
		for _, v := range sw.Variants {
			for _, o := range sw.Outputs {
				var top []sweep.Index
				for _, x := range idx {
					if x.Variant == v && x.Output == o.Name() && x.Name == by {
						top = append(top, x)
					}
				}
				slices.SortStableFunc(top, func(a, b sweep.Index) int { return cmpDesc(a.Value, b.Value) })
				var parts []string
				for _, x := range top[:min(3, len(top))] {
					parts = append(parts, fmt.Sprintf("%s %.3g", x.Param, x.Value))
				}
				fmt.Fprintf(w, "  %s · %s, most influential by %s: %s\n", v, o.Name(), what, strings.Join(parts, ", "))
			}
		}
	default:
		for vi, v := range sw.Variants {
			for oi, o := range sw.Outputs {
				hi, lo := 0, 0
				for pt := range m {
					if m[pt][vi][oi] > m[hi][vi][oi] {
						hi = pt
					}
					if m[pt][vi][oi] < m[lo][vi][oi] {
						lo = pt
					}
				}
				fmt.Fprintf(w, "  %s · %s: highest %.3g at %s; lowest %.3g at %s\n", v, o.Name(),
					m[hi][vi][oi], pointText(p, hi), m[lo][vi][oi], pointText(p, lo))
			}
		}
	}
}

func cmpDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// pointText writes a design point as key=value pairs.
func pointText(p *sweep.Plan, pt int) string {
	var parts []string
	for i, q := range p.Sweep.Params {
		x := p.Design.Points[pt][i]
		if q.Int {
			x = math.Round(x)
		}
		parts = append(parts, q.Key+"="+strconv.FormatFloat(x, 'g', 4, 64))
	}
	return strings.Join(parts, ", ")
}

// sobolWarning says, for a Sobol sweep whose sample is too small for stable
// indices, why and what to do: an index above 1 (impossible for the true
// indices), or a most influential parameter whose 95% interval is wider
// than its index. "" when the indices look stable.
func sobolWarning(p *sweep.Plan, m sweep.Means) string {
	if p.Sweep.Design != "sobol" {
		return ""
	}
	idx := p.Indices(m)
	var why []string
	for _, x := range idx {
		if x.Value > 1 {
			why = append(why, fmt.Sprintf("%s of %s for %s · %s is %.3g, above 1", x.Name, x.Param, x.Variant, x.Output, x.Value))
		}
	}
	for _, v := range p.Sweep.Variants {
		for _, o := range p.Sweep.Outputs {
			var best *sweep.Index
			for i, x := range idx {
				if x.Variant == v && x.Output == o.Name() && x.Name == "ST" && (best == nil || x.Value > best.Value) {
					best = &idx[i]
				}
			}
			if best != nil && best.Hi-best.Lo > math.Abs(best.Value) {
				why = append(why, fmt.Sprintf("ST of %s for %s · %s is %.3g with a 95%% interval %.3g … %.3g, wider than the index", best.Param, v, o.Name(), best.Value, best.Lo, best.Hi))
			}
		}
	}
	if len(why) == 0 {
		return ""
	}
	if len(why) > 3 {
		why = append(why[:3], fmt.Sprintf("and %d more", len(why)-3))
	}
	return fmt.Sprintf("the Sobol indices are not stable with samples = %d: %s; raise samples (several hundred to thousands are usual) or replications", p.Sweep.Samples, strings.Join(why, "; "))
}
