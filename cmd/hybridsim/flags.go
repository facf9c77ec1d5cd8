package main

import (
	"flag"
	"fmt"
	"math"
	"regexp"
	"strconv"

	"github.com/hybridsim/hybridsim/scenarios"
)

// The flags below are parsed strictly with strconv ("1e3", "1.5", "5abc"
// and " 5" are errors, not 1000, 1 or 5) and checked against the same
// ranges as the scenario keys they override, so that whatever a flag sets
// is written into a scenario.toml that loads again.

// intFlag registers a whole-number flag from lo to hi; the variable keeps
// def when the flag is not given.
func intFlag(fs *flag.FlagSet, p *int, name string, def, lo, hi int, usage string) {
	*p = def
	fs.Func(name, usage, func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a whole number from %d to %d, got %q", lo, hi, s)
		}
		*p = n
		return nil
	})
}

// seedFlag registers a seed flag: a whole number from 0 to
// scenarios.MaxSeed; *set reports whether it was given.
func seedFlag(fs *flag.FlagSet, p *uint64, set *bool, usage string) {
	fs.Func("seed", usage, func(s string) error {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || n > scenarios.MaxSeed {
			return fmt.Errorf("must be a whole number from 0 to %d, got %q", uint64(scenarios.MaxSeed), s)
		}
		*p, *set = n, true
		return nil
	})
}

// positiveFloatFlag registers a number flag that must be finite and above 0
// (and at most hi).
func positiveFloatFlag(fs *flag.FlagSet, p *float64, name string, hi float64, usage string) {
	fs.Func(name, usage, func(s string) error {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || !(x > 0 && x <= hi) || math.IsInf(x, 0) {
			if math.IsInf(hi, 1) {
				return fmt.Errorf("must be a number above 0, got %q", s)
			}
			return fmt.Errorf("must be a number above 0 and at most %g, got %q", hi, s)
		}
		*p = x
		return nil
	})
}

var shardRE = regexp.MustCompile(`^([1-9][0-9]{0,6})/([1-9][0-9]{0,6})$`)

// parseShard reads --shard i/n: 1 ≤ i ≤ n, nothing else around it; no
// --shard ("") gives 0, 0.
func parseShard(s string) (i, n int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	m := shardRE.FindStringSubmatch(s)
	if m != nil {
		i, _ = strconv.Atoi(m[1])
		n, _ = strconv.Atoi(m[2])
		if i <= n {
			return i, n, nil
		}
	}
	return 0, 0, usagef("--shard must be i/n with 1 ≤ i ≤ n (whole numbers, for example 2/8), got %q", s)
}
