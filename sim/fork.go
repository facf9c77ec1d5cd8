package sim

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
)

// Sharing the warm-up (docs/ODD.md §3.1): the warm-up of a replication
// depends on its parameters, standing arrangements, warm-up length, seed
// and replication, never on a variant's interventions (they act from tick
// 0 on). So the variants of one replication may warm one model up once
// (Warm) and each continue from a copy of it (Fork), with outputs
// byte-identical to a Run of their own (TestForkEqualsRun).

// Warm returns cfg's model stepped through its warm-up, at tick 0. Only
// cfg's Params, Standing, Warmup, Ticks, Seed and Rep matter; its
// Interventions are left out (Fork adds a variant's).
func Warm(cfg Config) (*Model, error) {
	base := cfg
	base.Interventions, base.OnTick, base.Network = nil, nil, false
	m, err := New(base)
	if err != nil {
		return nil, err
	}
	for m.tick < 0 {
		m.Step()
		if cfg.OnTick != nil {
			cfg.OnTick(m.tick + m.warmup)
		}
	}
	return m, nil
}

// SameWarmup reports whether two configurations have the same warm-up, so
// that Fork may continue one's warmed model with the other.
func SameWarmup(a, b Config) bool {
	return a.Params == b.Params && a.Warmup == b.Warmup && a.Seed == b.Seed && a.Rep == b.Rep &&
		len(a.Standing) == len(b.Standing) && reflect.DeepEqual(a.Standing, b.Standing)
}

// Fork returns a copy of the warmed model w (Warm) that runs cfg's own
// interventions from tick 0 to cfg.Ticks; w is not changed and may be
// forked again. cfg must have w's warm-up (SameWarmup with the
// configuration w was warmed from).
func (w *Model) Fork(cfg Config) (*Model, error) {
	if w.tick != 0 || w.out != nil {
		return nil, errors.New("sim: Fork needs a model warmed up to tick 0 (Warm)")
	}
	if cfg.Ticks < 1 {
		return nil, fmt.Errorf("ticks must be ≥ 1, got %d", cfg.Ticks)
	}
	var errs []error
	var ivs []scheduled
	for _, k := range Kinds { // as New orders them: by kind, standing first
		for _, s := range w.ivs {
			if s.iv.Kind() == k {
				ivs = append(ivs, s)
			}
		}
		for _, iv := range cfg.Interventions {
			if iv == nil {
				errs = append(errs, errors.New("nil intervention"))
				continue
			}
			if iv.Kind() == k {
				if err := iv.Validate(); err != nil {
					errs = append(errs, err)
				}
				ivs = append(ivs, scheduled{iv: iv, from: firstTick(iv)})
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	m := w.clone()
	m.ivs, m.ticks, m.network, m.threads = ivs, cfg.Ticks, cfg.Network, cfg.Threads
	m.series = make([]float64, 0, min(cfg.Ticks, 4096)*NumMetrics)
	return m, nil
}

// Continue steps a model to its last tick and returns its Result, calling
// onTick (if not nil) after each tick with the ticks done, warm-up
// included (as Run does).
func (m *Model) Continue(onTick func(done int)) *Result {
	for m.tick < m.ticks {
		m.Step()
		if onTick != nil {
			onTick(m.tick + m.warmup)
		}
	}
	return m.finish()
}

// clone is a deep copy of the state a model carries from one tick to the
// next. Scratch space, which every step makes afresh, is not copied.
func (m *Model) clone() *Model {
	c := *m
	c.ivs = slices.Clone(m.ivs)
	c.er, c.sr, c.wr = newRNG(), newRNG(), nil
	c.actors = slices.Clone(m.actors)
	c.tieChunk, c.tieUsed, c.tieFree, c.tieWG, c.tieArenas, c.tieBuf = nil, nil, nil, nil, nil, nil
	c.packTies() // copies every tie list into arrays of the copy's own
	c.values, c.crossN, c.hasIn = slices.Clone(m.values), slices.Clone(m.crossN), slices.Clone(m.hasIn)
	c.ids, c.present, c.leavers = slices.Clone(m.ids), slices.Clone(m.present), m.leavers.clone()
	c.formal, c.informal, c.coords = slices.Clone(m.formal), slices.Clone(m.informal), slices.Clone(m.coords)
	c.cases = slices.Clone(m.cases)
	for k := range c.intakeIx.buckets {
		c.intakeIx.buckets[k] = slices.Clone(m.intakeIx.buckets[k])
		for l := range c.intakeIx.buckets[k] {
			c.intakeIx.buckets[k][l] = slices.Clone(m.intakeIx.buckets[k][l])
		}
	}
	c.intakeIx.pos = slices.Clone(m.intakeIx.pos)
	c.coordIx.tree = slices.Clone(m.coordIx.tree)
	c.freeAll = idSet{ids: slices.Clone(m.freeAll.ids), pos: slices.Clone(m.freeAll.pos)}
	c.freeSelfOrg = idSet{ids: slices.Clone(m.freeSelfOrg.ids), pos: slices.Clone(m.freeSelfOrg.pos)}
	c.tau, c.busyF = slices.Clone(m.tau), slices.Clone(m.busyF)
	c.pendingGuides = slices.Clone(m.pendingGuides)
	c.pairs, c.pairIdx = slices.Clone(m.pairs), maps.Clone(m.pairIdx)
	c.setup0 = slices.Clone(m.setup0)
	c.series, c.out = nil, nil
	c.metPairs = map[uint64]struct{}{}
	c.rings, c.freeRings = slices.Clone(m.rings), slices.Clone(m.freeRings)
	c.piHeap, c.next, c.partner = nil, nil, nil
	c.contacted, c.csum, c.cslot = nil, nil, nil
	c.posBuf, c.cont, c.gone, c.encounterN, c.encounterWith = nil, nil, nil, nil, nil
	c.scratchA, c.scratchB, c.scratchC, c.order, c.keep, c.leaving, c.roles = nil, nil, nil, nil, nil, nil, nil
	return &c
}
