// Package calibrate fits a scenario's parameters to observed figures by
// approximate Bayesian computation with sequential Monte Carlo (ABC-SMC):
// population Monte Carlo with an adaptive tolerance (Lenormand, Jabot and
// Deffuant 2013) and the importance weights and Gaussian perturbation
// kernel of Beaumont, Cornuet, Marin and Robert (2009). See SMC for the
// algorithm, Work for how a calibration runs in generations that can each
// be split into shards (a cluster array job) and merged, and Model for the
// binding to a calibration file (scenarios.Calibration).
//
// Every random number derives from the calibration seed, the generation and
// the particle (ParticleSeed), so the same file and seed give the same
// bytes whatever the number of workers and shards.
package calibrate
