package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"scalesim/compare"
	"scalesim/presets"
	"scalesim/sweep"
	"scalesim/topology"
	"scalesim/ui"
)

type compareOptions struct {
	duration, warmup time.Duration
	seed             uint64
	seeds, jobs      int
	changes          []string // --b PATH=VALUE, in order
	json, headless   bool
	speed            float64 // the split dashboard's
	paused           bool
}

func newCompareCommand() *command {
	c := newCommand("compare", "A [B]", "B−A of two designs on the same traffic",
		"Simulate designs A and B, files or presets, with the same seeds: the same\n"+
			"arrivals and the same work per request, so that they differ by design,\n"+
			"not luck. Each --b PATH=VALUE changes one field of B (as sweep --set spells\n"+
			"it); without B, B is A with those changes:\n"+
			"  scalesim compare redis-cache --b cache.enabled=false\n\n"+
			"It prints A's and B's means over the seeds and B−A paired by seed, with its\n"+
			"95% confidence interval (Student's t) and whether B is better, worse or not\n"+
			"significantly different; --json writes the same, and every run's figures.\n"+
			"With A the same as B every difference is exactly 0.\n\n"+
			"In a terminal, without --json or --headless, it opens a split dashboard\n"+
			"instead: A and B side by side on one clock and one seed, tab to switch the\n"+
			"side keys act on, F to fork A's topology into B and edit it live.")
	o := &compareOptions{duration: 60 * time.Second, warmup: 10 * time.Second, seeds: 5, speed: 1}
	c.add(listFlag{&o.changes}, "b", "change B: `PATH=VALUE`, such as app.workers=8; repeatable")
	c.add(seedCountFlag{&o.seeds, 1}, "seeds", "seeds `N`, the same for A and B")
	c.add(seedFlag{&o.seed}, "seed", "the first seed `N`, the others after it; default: A's")
	c.add(durationFlag{&o.duration, true}, "duration", "time `D` each run measures after its warm-up")
	c.add(durationFlag{&o.warmup, false}, "warmup", "time `D` each run runs first, unmeasured")
	c.add(intFlag{&o.jobs, 1}, "jobs", "runs at once, `N`; default: one per core")
	c.add(boolFlag{&o.json}, "json", "write the comparison as JSON")
	c.add(boolFlag{&o.headless}, "headless", "print the comparison, even in a terminal")
	c.add(speedFlag{&o.speed}, "speed", "the split dashboard's starting speed `X`")
	c.add(boolFlag{&o.paused}, "paused", "start the split dashboard paused")
	c.run = func(c *command, pos []string, e *env) error { return compareCmd(c, pos, e, o) }
	return c
}

// comparePair is what compare runs: the two designs and their names.
type comparePair struct {
	a, b         *topology.Topology
	sideA, sideB compare.Side
}

// loadPair reads A, and B (A itself when not given), and applies the
// --b changes to B.
func (o *compareOptions) loadPair(pos []string) (*comparePair, error) {
	if len(pos) < 1 || len(pos) > 2 {
		return nil, invalidf("compare takes A and B, files or presets, or A and --b changes, got %d arguments\nsee scalesim compare --help", len(pos))
	}
	if o.duration <= 0 {
		return nil, invalidf("--duration must be positive, got %s", topology.FormatDuration(o.duration))
	}
	if o.warmup < 0 {
		return nil, invalidf("--warmup must not be negative, got %s", topology.FormatDuration(o.warmup))
	}
	if o.duration > maxRunTime || o.warmup > maxRunTime-o.duration {
		return nil, invalidf("--warmup plus --duration is more than the 100 years a run may simulate")
	}
	a, err := presets.Resolve(pos[0])
	if err != nil {
		return nil, err
	}
	p := &comparePair{a: a, b: a, sideA: compare.Side{Source: pos[0], Name: a.Name}}
	p.sideB = compare.Side{Source: pos[0], Name: a.Name}
	if len(pos) == 2 {
		if p.b, err = presets.Resolve(pos[1]); err != nil {
			return nil, err
		}
		p.sideB = compare.Side{Source: pos[1], Name: p.b.Name}
	} else if len(o.changes) == 0 {
		return nil, invalidf("compare needs a B: a second FILE or PRESET, or --b PATH=VALUE changes to A\nsee scalesim compare --help")
	}
	changes, err := parseBChanges(o.changes)
	if err != nil {
		return nil, err
	}
	if len(changes) > 0 {
		if p.b, err = p.b.WithAll(changes); err != nil {
			return nil, invalid{fmt.Errorf("--b: %w", err)}
		}
		p.sideB.Changes = o.changes
	}
	return p, nil
}

// parseBChanges reads --b PATH=VALUE arguments with sweep's parser of
// --set, each to exactly one value.
func parseBChanges(args []string) ([]topology.Change, error) {
	var out []topology.Change
	given := map[string]string{} // path: the --b that set it
	for _, arg := range args {
		ax, err := sweep.ParseSet(arg)
		if err != nil {
			var te *topology.Error
			if errors.As(err, &te) {
				e := *te
				e.File = "--b " + strconv.Quote(arg)
				if e.Msg == "expected PATH=VALUES" {
					e.Msg, e.Hint = "expected PATH=VALUE", "for example app.workers=8, cache.enabled=false or app.model=threads"
				}
				return nil, &e
			}
			return nil, err
		}
		if len(ax.Values) != 1 {
			return nil, &topology.Error{File: "--b " + strconv.Quote(arg), Path: ax.Path,
				Msg: fmt.Sprintf("%d values; B takes one", len(ax.Values)), Hint: "to try several, use scalesim sweep --set " + arg}
		}
		if prev, ok := given[ax.Path]; ok {
			return nil, &topology.Error{File: "--b " + strconv.Quote(arg), Path: ax.Path,
				Msg: "set twice, first by --b " + strconv.Quote(prev), Hint: "give B one value for each field"}
		}
		given[ax.Path] = arg
		out = append(out, topology.Change{Action: topology.ActSet, Path: ax.Path, Value: ax.Values[0]})
	}
	return out, nil
}

// seedsOf are the n seeds from the first (--seed, else A's).
func (o *compareOptions) seedsOf(c *command, a *topology.Topology) []uint64 {
	base := a.Seed
	if c.set["seed"] {
		base = o.seed
	}
	seeds := make([]uint64, o.seeds)
	for i := range seeds {
		seeds[i] = base + uint64(i)
	}
	return seeds
}

func compareCmd(c *command, pos []string, e *env, o *compareOptions) error {
	p, err := o.loadPair(pos)
	if err != nil {
		return err
	}
	seeds := o.seedsOf(c, p.a)
	if !o.json && !o.headless && isTerminal(e.stdin) && isTerminal(e.stdout) {
		return splitCmd(p, seeds[0], o)
	}
	res, err := compare.Run(p.a, p.b, seeds, sweep.Run{Warmup: o.warmup, Duration: o.duration}, o.jobs)
	if err != nil {
		return err
	}
	rep := &compare.Report{A: p.sideA, B: p.sideB, Warmup: o.warmup, Duration: o.duration, Result: res}
	if o.json {
		return rep.WriteJSON(e.stdout)
	}
	return rep.WriteText(e.stdout)
}

// splitCmd opens the split dashboard of p, both sides on seed.
func splitCmd(p *comparePair, seed uint64, o *compareOptions) error {
	a, b := p.a.Clone(), p.b.Clone()
	a.Seed, b.Seed = seed, seed
	srcB := p.sideB.Source
	if len(p.sideB.Changes) > 0 {
		srcB += " with " + strings.Join(p.sideB.Changes, ", ")
	}
	return ui.RunSplit(ui.SplitOptions{A: a, B: b, SourceA: p.sideA.Source, SourceB: srcB, Speed: o.speed, Paused: o.paused})
}
