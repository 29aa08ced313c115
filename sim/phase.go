package sim

import "strings"

// Phases cut the measured window at the times of the timeline's changes
// (each event's at: and, with for:, its end): the run before the sale,
// during it, after it. Each phase keeps the window's counts at its start
// and a latency histogram of its own, so its figures are those of the
// whole window restricted to it.

// Phase is one stretch of the measured window between two timeline times.
type Phase struct {
	FromS float64 `json:"from_s"`
	ToS   float64 `json:"to_s"`
	// Label is what changed at its start ("" for the window's start).
	Label         string  `json:"label"`
	Requests      Counts  `json:"requests"`
	ThroughputRPS float64 `json:"throughput_rps"`
	GoodputRPS    float64 `json:"goodput_rps"`
	LatencyMs     Latency `json:"latency_ms"`
}

// phases is the state of the cuts: those closed, and the current one.
type phases struct {
	done   []Phase
	from   int64
	label  []string
	counts Counts // the window's counts at the current phase's start
	// the current phase's latencies are Sim.latency's phaseSoFar
}

// maxPhases bounds the phases kept: a timeline has at most 1000 events,
// two times each.
const maxPhases = 2048

// restart begins the phases anew at now (a new measured window); a
// label given at this very instant (a stage beginning with the window)
// is kept.
func (p *phases) restart(now int64) {
	p.done = p.done[:0]
	if p.from != now {
		p.label = p.label[:0]
	}
	p.from = now
	p.counts = Counts{}
}

// cut closes the current phase at now and starts the next, unless the
// current one is empty of time (two cuts at once, or a cut at the
// window's start).
func (s *Sim) cutPhase() {
	p := &s.phases
	if s.now == p.from || len(p.done) >= maxPhases-1 {
		return
	}
	p.done = append(p.done, s.phase())
	p.from, p.label, p.counts = s.now, nil, s.winCounts
	s.latency.newPhase()
}

// phaseLabel adds what a change did to the label of the phase starting now.
func (s *Sim) phaseLabel(text string) {
	if p := &s.phases; p.from == s.now && text != "" {
		p.label = append(p.label, text)
	}
}

// phase is the current phase, up to now.
func (s *Sim) phase() Phase {
	p := &s.phases
	c := s.winCounts.minus(p.counts)
	c.InFlight, c.Logical.Waiting = uint64(s.live), uint64(s.cl.waiting)
	out := Phase{FromS: float64(p.from) / 1e9, ToS: float64(s.now) / 1e9, Label: strings.Join(p.label, "; "), Requests: c}
	if span := float64(s.now - p.from); span > 0 {
		out.ThroughputRPS = float64(c.Completed) / span * 1e9
		out.GoodputRPS = float64(c.Logical.Goodput) / span * 1e9
	}
	out.LatencyMs = latencyOf(s.latency.phaseSoFar())
	return out
}

// Phases returns the measured window's phases up to now, in order: one
// when the timeline changes nothing within the window.
func (s *Sim) Phases() []Phase {
	out := make([]Phase, 0, len(s.phases.done)+1)
	out = append(out, s.phases.done...)
	if s.now > s.phases.from || len(out) == 0 {
		out = append(out, s.phase())
	}
	return out
}
