// Package story reads stories: scripts for a talk about scaling, each a
// topology and a list of steps a presenter clicks through, every step a
// caption, notes, changes in the timeline's vocabulary (topology.Change),
// how long to run and claims about what the audience will then see. It
// exists so that a story can be checked headless (Check: every claim
// holds over several seeds, and fails when its step's changes are
// withheld, so a story cannot claim what would have happened anyway) and
// played by the dashboard from the same data. It knows topology and sim;
// it knows nothing of terminals.
package story

import (
	"cmp"
	"slices"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// Story is a story file read in one language.
type Story struct {
	// Title is the story's title in the chosen language.
	Title string
	// Lang is the chosen language; Langs are those every text of the
	// story has ("en" always).
	Lang  string
	Langs []string
	// File is where the story was read from: a path, or a shipped
	// story's embedded file.
	File string
	// Topology is the topology at the start, its Seed set to Seed.
	Topology *topology.Topology
	// Source says where the topology came from (a preset:NAME, a file,
	// or the story file for an inline topology), for the header.
	Source string
	// Seed is the seed the story is presented with.
	Seed  uint64
	Steps []Step
}

// Step is one step of a story, numbered from 1 when shown to users
// (Steps[0] is step 1).
type Step struct {
	// Caption is one line in the chosen language, at most
	// MaxCaptionWidth columns wide.
	Caption string
	// Notes are the presenter's paragraph, on demand; may be "".
	Notes string
	// Changes are applied at the step's start, Source "story".
	Changes []topology.Change
	// Run is how long the step runs before the presenter's next click
	// (0: the presenter advances by hand).
	Run time.Duration
	// Expect are the step's claims, measured over its run.
	Expect []Claim
	// Line and Col are where the step is written.
	Line, Col int
}

// MaxCaptionWidth is the widest caption allowed, in terminal columns
// (a CJK character is two): it fits one line of an 80-column screen with
// a margin on each side.
const MaxCaptionWidth = 76

// Start is when step k starts in a run of the story: the sum of the
// Run of the steps before it.
func (st *Story) Start(k int) time.Duration {
	var t time.Duration
	for i := 0; i < k && i < len(st.Steps); i++ {
		t += st.Steps[i].Run
	}
	return t
}

// End is when step k's run ends: Start(k) + its Run.
func (st *Story) End(k int) time.Duration {
	return st.Start(k) + st.Steps[k].Run
}

// Starts are the start times of every step when each runs for its
// Run: the times a check uses and a presenter gets by clicking at the
// end of each run.
func (st *Story) Starts() []time.Duration {
	out := make([]time.Duration, len(st.Steps))
	for k := range out {
		out[k] = st.Start(k)
	}
	return out
}

// Timeline returns the topology of the story with the changes of steps
// 0 to upto as timeline events at their start times (starts[k] for step
// k; Start(k) where starts is too short, as for a step the presenter
// has not yet reached), after the topology's own events at the same
// time. The topology's Seed is the story's.
func (st *Story) Timeline(upto int, starts []time.Duration) *topology.Topology {
	return st.timeline(upto, starts, -1)
}

// timeline is Timeline with step skip's changes withheld (skip < 0:
// none), for the ablation of Check.
func (st *Story) timeline(upto int, starts []time.Duration, skip int) *topology.Topology {
	t := st.Topology.Clone()
	t.Seed = st.Seed
	evs := slices.Clone(t.Events)
	for k := 0; k <= upto && k < len(st.Steps); k++ {
		if k == skip || len(st.Steps[k].Changes) == 0 {
			continue
		}
		at := st.Start(k)
		if k < len(starts) {
			at = starts[k]
		}
		evs = append(evs, topology.Event{At: at, Changes: slices.Clone(st.Steps[k].Changes)})
	}
	slices.SortStableFunc(evs, func(a, b topology.Event) int { return cmp.Compare(a.At, b.At) })
	t.Events = evs
	return t
}

// Rebuild returns a simulation of the story as presented up to step k:
// the topology of Timeline(k, starts), run to step k's start, so that
// step k's changes have just been applied. Given the same starts it is
// the same simulation however often it is rebuilt.
func (st *Story) Rebuild(k int, starts []time.Duration, opt sim.Options) (*sim.Sim, error) {
	t := st.Timeline(k, starts)
	s, err := sim.New(t, opt)
	if err != nil {
		return nil, err
	}
	at := st.Start(k)
	if k < len(starts) {
		at = starts[k]
	}
	s.Advance(at)
	return s, nil
}
