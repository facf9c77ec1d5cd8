// Package sim is the agent-based model of hybridsim and its discrete-time
// engine: professionals, informal actors and coordinators, households' cases,
// the interventions of MODEL.md section 5 and the outputs of section 6.
//
// The files follow MODEL.md's sections: params.go (2), model.go (set-up and
// the schedule of 3), arrival.go (4.1), routing.go (4.2), contact.go (4.3),
// progression.go (4.4), influence.go (4.5), threat.go (4.6), turnover.go
// (4.7), ties.go (2.2, 4.8), interventions.go (5), metrics.go (6).
//
// A run is a pure function of its [Config]: parameters, interventions, ticks
// and the random stream, which [Stream] derives from (seed, replication)
// alone, so that a baseline and its variants share streams (common random
// numbers). The package does no I/O and uses only the standard library.
package sim
