package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/hybridsim/hybridsim/experiment"
)

// Manifest records how an output directory was made, so that it can be
// made again: the whole command line, what it read (with SHA-256 hashes),
// the seeds, when, and the files written. Every command writes this one
// type as manifest.json; the fields of the other commands are left out
// (omitempty), so each command's manifest holds:
//
//   - run and compare: Scenarios, Variants and Seeds (`hybridsim run --seed
//     SEED --reps REPS DIR/scenario.toml` reruns one scenario);
//   - sweep and merge: the Sweep fields, Replications and Seed;
//   - calibrate: the Calibration fields, Replications and Seed.
//
// Seed is a pointer because 0 is a seed like any other.
type Manifest struct {
	Tool        string   `json:"tool"`
	Version     string   `json:"version"`
	GoVersion   string   `json:"go_version"`
	CommandLine []string `json:"command_line"` // "hybridsim", the command, its arguments

	// run and compare
	Scenarios []ManifestScenario `json:"scenarios,omitempty"`
	Variants  []string           `json:"variants,omitempty"`
	Seeds     []ManifestRun      `json:"seeds,omitempty"`

	// sweep and merge
	SweepFile   string `json:"sweep_file,omitempty"`
	SweepSHA256 string `json:"sweep_sha256,omitempty"` // sweep.Plan.Hash
	Design      string `json:"design,omitempty"`
	Points      int    `json:"points,omitempty"`
	Runs        int    `json:"runs,omitempty"`

	// calibrate
	CalibrationFile   string  `json:"calibration_file,omitempty"`
	CalibrationSHA256 string  `json:"calibration_sha256,omitempty"` // calibrate.Hash
	Method            string  `json:"method,omitempty"`
	Particles         int     `json:"particles,omitempty"`
	Alpha             float64 `json:"alpha,omitempty"`
	MinAcceptance     float64 `json:"min_acceptance,omitempty"`
	MaxGenerations    int     `json:"max_generations,omitempty"`
	Generations       int     `json:"generations,omitempty"`
	PredictiveDraws   int     `json:"predictive_draws,omitempty"`

	// sweep, merge and calibrate
	Replications int     `json:"replications,omitempty"`
	Seed         *uint64 `json:"seed,omitempty"`

	SeedRule string   `json:"seed_rule"` // how each run's seed derives
	Started  string   `json:"started"`   // RFC 3339, UTC
	Finished string   `json:"finished"`  // set by Write
	Files    []string `json:"files"`     // in the order written, manifest.json included
}

// ManifestScenario is one resolved scenario in the manifest.
type ManifestScenario struct {
	Name         string `json:"name"`
	Source       string `json:"source"`
	ResolvedFile string `json:"resolved_file"`
	SHA256       string `json:"sha256"`
	Ticks        int    `json:"ticks"`
	Replications int    `json:"replications"`
	Resolved     string `json:"resolved"`
}

// ManifestRun is the seed of one run.
type ManifestRun struct {
	Scenario string `json:"scenario"`
	Variant  string `json:"variant"`
	Rep      int    `json:"rep"`
	Seed     uint64 `json:"seed"`
}

// NewManifest starts the manifest of a command: the tool's version, the Go
// version, the command line (args: everything after "hybridsim", the
// command first) and the start time.
func NewManifest(version string, args []string, started time.Time) Manifest {
	return Manifest{Tool: "hybridsim", Version: version, GoVersion: runtime.Version(),
		CommandLine: append([]string{"hybridsim"}, args...), Started: started.UTC().Format(time.RFC3339)}
}

// AddRuns records the runs of run or compare: each scenario as resolved
// (its text and SHA-256; ResolvedFile is left to the caller), the variants
// of all scenarios in first-seen order, and every run's seed.
func (m *Manifest) AddRuns(res *experiment.Output) {
	for si, s := range res.Scenarios {
		text := s.Canonical()
		sum := sha256.Sum256([]byte(text))
		m.Scenarios = append(m.Scenarios, ManifestScenario{Name: s.Name, Source: s.File, SHA256: hex.EncodeToString(sum[:]),
			Ticks: s.Ticks, Replications: res.Reps[si], Resolved: text})
		for _, v := range res.Variants[si] {
			if !slices.Contains(m.Variants, v) {
				m.Variants = append(m.Variants, v)
			}
		}
	}
	for _, r := range res.Runs {
		m.Seeds = append(m.Seeds, ManifestRun{Scenario: r.Scenario, Variant: r.Variant, Rep: r.Rep, Seed: r.Seed})
	}
}

// Write sets Finished to now and writes dir/manifest.json (indented JSON
// ending in a newline). Files must already list manifest.json.
func (m *Manifest) Write(dir string) error {
	m.Finished = time.Now().UTC().Format(time.RFC3339)
	return Create(dir, "manifest.json", func(w io.Writer) error {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(m)
	})
}
