package sim

// setEndGoal applies an end goal (docs/ODD.md §8.3): the perspective sets
// G_inv (4.2a), A (4.2b), p_stay and the weight of the fluid boundaries in
// threat (§7.6); q is the effective clarity; support enters τ (§7.2).
//
//	perspective          G_inv   A    p_stay  fluid
//	none                  0     0.5   0.3     0.5
//	accessibility         0     1     0.2     0.5
//	accessibility_plus    0.5   1     0.4     0.5
//	civil_society         1     0.3   0.6     0.5
//	separation           −0.5   1     0.1     0.25
func (m *Model) setEndGoal(perspective string, q, support float64) {
	m.q, m.support = q, support
	m.fluid = 0.5
	switch perspective {
	case "accessibility":
		m.gInv, m.aGoal, m.pStay = 0, 1, 0.2
	case "accessibility_plus":
		m.gInv, m.aGoal, m.pStay = 0.5, 1, 0.4
	case "civil_society":
		m.gInv, m.aGoal, m.pStay = 1, 0.3, 0.6
	case "separation":
		m.gInv, m.aGoal, m.pStay, m.fluid = -0.5, 1, 0.1, 0.25
	default:
		m.gInv, m.aGoal, m.pStay = 0, 0.5, 0.3
	}
}
