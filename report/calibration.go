package report

import (
	"math"

	"github.com/hybridsim/hybridsim/calibrate"
	"github.com/hybridsim/hybridsim/lang"
	"github.com/hybridsim/hybridsim/plots"
	"github.com/hybridsim/hybridsim/scenarios"
)

// CalibrationCharts draws a calibration's charts into dir in every format
// and returns the file names:
//
//   - posterior: each parameter's posterior (weighted histogram of the
//     final population) against its prior density, with the posterior mean;
//   - pairs: every pair of parameters, a dot per particle sized by weight;
//   - predictive: each target's posterior predictive draws against the
//     observed value and its 90% interval (± 1.645 se).
func CalibrationCharts(dir string, c *scenarios.Calibration, res *calibrate.Result, opt Options) ([]string, error) {
	post := res.Posterior()
	l := lang.Lang(opt.Lang)
	// No file name in the caption: the shards of a calibration, merged,
	// draw the same bytes as the calibration run whole.
	cap := l.Sprintf("cal_caption", c.Base.Name, len(res.Generations), len(post.Particles), l.Num(post.ESS, 0), c.Seed, opt.Version)
	w := make([]float64, len(post.Particles))
	for i, p := range post.Particles {
		w[i] = p.Weight
	}
	theta := func(j int) []float64 {
		x := make([]float64, len(post.Particles))
		for i, p := range post.Particles {
			x[i] = p.Theta[j]
		}
		return x
	}
	cols := 2
	if len(c.Params) > 4 {
		cols = 3
	}
	var marg []plots.HistPanel
	for j, ps := range res.Params(c) {
		cp := c.Params[j]
		lo, hi := cp.Min, cp.Max
		if cp.Prior == "normal" { // where the prior has its mass: mean ± 4 sd
			lo, hi = math.Max(lo, cp.Mean-4*cp.SD), math.Min(hi, cp.Mean+4*cp.SD)
		}
		prior := calibrate.Prior{Dist: cp.Prior, Min: cp.Min, Max: cp.Max, Mean: cp.Mean, SD: cp.SD}
		var px, py []float64
		for k := 0; k <= 200; k++ {
			x := lo + (hi-lo)*float64(k)/200
			px, py = append(px, x), append(py, prior.PDF(x))
		}
		marg = append(marg, plots.HistPanel{
			Title: paramLabel(l, cp.Key), XLabel: cp.Key, YLabel: l.UI("cal_density"), Values: theta(j), Weights: w, Lo: lo, Hi: hi, Bins: 24,
			HistLabel: l.UI("cal_posterior"), CurveX: px, CurveY: py, CurveLabel: l.UI("cal_prior"),
			Lines: []plots.VLine{{X: ps.Mean, Label: l.UI("cal_posterior_mean")}},
		})
	}
	figs := []Chart{}
	f, err := plots.Histograms(l.UI("cal_posterior_title"), marg, cols, opt.Size, cap)
	if err != nil {
		return nil, err
	}
	figs = append(figs, Chart{Name: "posterior", Figure: f})
	var pairs []plots.PairPanel
	for a := range c.Params {
		for b := a + 1; b < len(c.Params); b++ {
			pairs = append(pairs, plots.PairPanel{XLabel: c.Params[a].Key, YLabel: c.Params[b].Key, X: theta(a), Y: theta(b), Weights: w,
				XRange: finiteRange(c.Params[a]), YRange: finiteRange(c.Params[b])})
		}
	}
	if len(pairs) > 0 {
		pc := min(3, len(pairs))
		f, err := plots.Pairs(l.UI("cal_pairs_title"), pairs, pc, opt.Size, cap)
		if err != nil {
			return nil, err
		}
		figs = append(figs, Chart{Name: "pairs", Figure: f})
	}
	var pred []plots.HistPanel
	for k, t := range res.Targets(c) {
		x := make([]float64, len(res.Predictive))
		for i, p := range res.Predictive {
			x[i] = p.Stats[k]
		}
		h := 1.6448536269514722 * t.Target.SE
		pred = append(pred, plots.HistPanel{
			Title: t.Target.Name, XLabel: targetLabel(l, t.Target), YLabel: l.UI("cal_density"), Values: x, Bins: 20,
			HistLabel: l.UI("cal_predictive"), Span: [2]float64{t.Target.Value - h, t.Target.Value + h}, SpanLabel: l.UI("cal_observed_90"),
			Lines: []plots.VLine{{X: t.Target.Value, Label: l.UI("cal_observed")}},
		})
	}
	f, err = plots.Histograms(l.Sprintf("cal_predictive_title", len(res.Predictive)), pred, min(2, len(pred)), opt.Size, cap)
	if err != nil {
		return nil, err
	}
	figs = append(figs, Chart{Name: "predictive", Figure: f})
	return WriteCharts(dir, figs, opt.Formats)
}

// targetLabel is a target's output in words: a level as the sweeps'
// outputs ("informal actors active, last 52 weeks"), an effect with its
// variant's name.
func targetLabel(l lang.Lang, t scenarios.Target) string {
	s := outputLabel(l, scenarios.SweepOutput{Metric: t.Metric, Window: t.Window})
	if t.IsEffect() {
		return l.Variant(t.Variant) + " − " + l.Variant(t.Reference) + ": " + s
	}
	return s
}

func finiteRange(p scenarios.CalParam) [2]float64 {
	lo, hi := p.Min, p.Max
	if p.Prior == "normal" {
		lo, hi = math.Max(lo, p.Mean-4*p.SD), math.Min(hi, p.Mean+4*p.SD)
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return [2]float64{}
	}
	return [2]float64{lo, hi}
}
