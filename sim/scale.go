package sim

import "math"

// Scale returns cfg for an area f times as large: professionals, informal
// actors, coordinators and households multiplied by f (rounded; a group
// that was not empty keeps at least one member), and the actors that
// interventions add (intermediaries' add, caseload_relief's
// add_professionals) likewise. The initial cross-tie chance per
// formal–informal pair (docs/ODD.md §2.2) is divided by f: initial_cross_ties
// becomes the area's effective chance (derived if it was −1, times
// cross_ties_scale) ÷ f, at most 1, and cross_ties_scale 1. So each
// professional starts out knowing as many informal actors as in the area
// itself; the area's chance per pair would make the number of cross ties
// grow with f², about 3·10⁹ at 10⁶ actors. This is the one place where a
// scaled run departs from the area's model; docs/ODD.md §15 says why. Everything else
// (ties per actor, capacities, rates per household) is per actor or per
// household and needs no scaling. f = 1 returns cfg unchanged; f must be
// > 0.
func Scale(cfg Config, f float64) Config {
	if f == 1 {
		return cfg
	}
	n := func(x int) int {
		if x == 0 {
			return 0
		}
		return max(1, int(math.Round(float64(x)*f)))
	}
	p := &cfg.Params
	p.Professionals, p.Informal, p.Coordinators, p.Households = n(p.Professionals), n(p.Informal), n(p.Coordinators), n(p.Households)
	px := p.InitialCrossTies
	if px < 0 {
		px = DerivedCrossTies(p.Urbanity)
	}
	p.InitialCrossTies, p.CrossTiesScale = clamp(px*p.CrossTiesScale/f, 0, 1), 1
	cfg.Standing = scaleInterventions(cfg.Standing, n)
	cfg.Interventions = scaleInterventions(cfg.Interventions, n)
	return cfg
}

// scaleInterventions copies ivs with the actors they add scaled by n.
func scaleInterventions(ivs []Intervention, n func(int) int) []Intervention {
	out := make([]Intervention, len(ivs))
	for k, iv := range ivs {
		switch x := iv.(type) {
		case *Intermediaries:
			c := *x
			c.Add = n(c.Add)
			iv = &c
		case *CaseloadRelief:
			c := *x
			c.AddProfessionals = n(c.AddProfessionals)
			iv = &c
		}
		out[k] = iv
	}
	return out
}
