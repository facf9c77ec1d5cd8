// Package sim is the agent-based model of hybridsim and its discrete-time
// engine: professionals, informal parties and coordinators, households'
// cases, the interventions and the outputs described in docs/ODD.md.
//
// The files follow docs/ODD.md's sections, so a reader who knows the ODD
// finds any equation in one step:
//
//	types.go          §2    sides, roles, modes, ties, actors, cases
//	params.go         §2, §11  every parameter: meaning, range, default, section
//	setup.go          §5    the initial population and its values
//	model.go          §3    Config, New, Run, Step: the schedule and the warm-up (§3.1)
//	random.go         §3.2  the random streams per (seed, replication, phase, tick, step, entity)
//	index.go                the indexes of the sequential steps (intake, free parties, coordinators)
//	arrival.go        §7.1  arrival, intake and the waiting queue
//	routing.go        §7.2  involving informal support (a), guiding to professional help (b)
//	contact.go        §7.3  joint-work contact, one impression a week
//	progression.go    §7.4  severity, closing, late escalation
//	influence.go      §7.5  in-group influence (synchronous)
//	threat.go         §7.6  identity threat and distinction
//	turnover.go       §7.7  within-side change, motivation, drop-out, recruitment
//	ties.go           §2.2, §7.8  ties and their decay
//	encounters.go     §7.9  everyday encounters
//	interventions.go  §8    the intervention types, their schedule and §8.4's others; costs of meetings
//	wijktafel.go      §8.1  wijktafels
//	reflection.go     §8.2  social reflection
//	endgoal.go        §8.3  end goals, separation included
//	metrics.go        §9    the outputs of each tick
//	results.go        §9    Result: the series and each actor's end state
//	scale.go          §15   an area f times as large
//
// A run is a pure function of its [Config]: parameters, standing
// arrangements, the variant's interventions, warm-up, ticks, seed and
// replication. Baseline and variants of one replication draw from the same
// streams (common random numbers) and share the warm-up exactly. The
// package does no I/O and uses only the standard library.
package sim
