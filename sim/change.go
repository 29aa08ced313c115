package sim

import (
	"fmt"
	"math"
	"time"

	"scalesim/topology"
)

// This file applies changes (topology.Change) to a running simulation:
// Do applies one now; at schedules one for a simulated time, the one way
// the simulation changes itself (its timeline, the inverses of for:,
// and, through the same door, autoscaling and failures).

// Mark is a change the simulation applied: when, what it did, and who
// asked for it (topology.Change's Source).
type Mark struct {
	At     time.Duration `json:"at"`
	Text   string        `json:"text"`
	Source string        `json:"source,omitempty"`
}

// Tiers an ActSlow change slows, in topology.Tiers order.
const (
	tierApp = iota
	tierDB
	tierCache
	tierOffload
	numTiers
)

// maxMarks is how many applied changes a snapshot lists; maxNext how
// many coming ones.
const (
	maxMarks = 64
	maxNext  = 3
)

// timeline is the simulation's state of changes: those scheduled and not
// yet applied, the marks of those applied, the caption, the slow-downs.
type timeline struct {
	pending []scheduled // by slot; a free slot has live false
	free    []int32
	marks   []Mark // ring of the last maxMarks
	head    int
	caption Mark // the last say: (empty Text for none)
	slow    [numTiers]float64
	claimed int64  // what the last stock reconcile found the counters claimed
	marked  uint64 // marks ever made
}

// scheduled is a change waiting on the heap (evChange, id = its slot).
type scheduled struct {
	t    int64
	seq  uint64
	c    topology.Change
	undo int64 // > 0: schedule the inverse this long after applying c
	what schedKind
	// shard is the shard of a failover
	shard int
	live  bool
}

// schedKind is what a scheduled entry does.
type schedKind uint8

const (
	schedChange  schedKind = iota // apply c
	schedPromote                  // promote a replica of shard (a failover)
	schedCut                      // cut the phases (a timeline time)
)

func (tl *timeline) init() {
	for i := range tl.slow {
		tl.slow[i] = 1
	}
}

// at schedules c at simulated time t (now if t is past); undo > 0 also
// undoes c undo ns after it takes effect, with the inverse computed then
// (a set restores the value in force just before it).
func (s *Sim) at(t int64, c topology.Change) { s.atFor(t, c, 0) }

func (s *Sim) atFor(t int64, c topology.Change, undo int64) int32 {
	tl := &s.tl
	t = max(t, s.now)
	var slot int32
	if n := len(tl.free); n > 0 {
		slot = tl.free[n-1]
		tl.free = tl.free[:n-1]
	} else {
		tl.pending = append(tl.pending, scheduled{})
		slot = int32(len(tl.pending) - 1)
	}
	tl.pending[slot] = scheduled{t: t, seq: s.seq, c: c, undo: undo, live: true}
	s.scheduleLate(event{t: t, kind: evChange, id: slot})
	return slot
}

// atPromote schedules the failover of shard at t, for the change of source.
func (s *Sim) atPromote(t int64, shard int, source string) {
	slot := s.atFor(t, topology.Change{Action: topology.ActPrimaryDown, Source: source}, 0)
	s.tl.pending[slot].what, s.tl.pending[slot].shard = schedPromote, shard
}

// onChange applies the scheduled change in slot id.
func (s *Sim) onChange(id int32) {
	tl := &s.tl
	p := tl.pending[id]
	tl.pending[id] = scheduled{}
	tl.free = append(tl.free, id)
	switch p.what {
	case schedCut:
		s.cutPhase()
		return
	case schedPromote:
		if msg := s.promote(p.shard); msg != "" {
			s.log.add(LogEntry{At: time.Duration(s.now), Text: msg})
			s.mark(Mark{At: time.Duration(s.now), Text: msg, Source: p.c.Source})
			if p.c.Source == topology.SourceTimeline {
				s.cutPhase()
				s.phaseLabel(msg)
			}
		}
		return
	}
	var inv topology.Change
	undo := false
	if p.undo > 0 {
		var err error
		inv, undo, err = p.c.Inverse(s.topo)
		if err != nil {
			s.logf("%s: %s refused: %v", p.c.Source, p.c, err)
			return
		}
	}
	if _, err := s.Do(p.c); err != nil {
		s.logf("%s: %s refused: %v", p.c.Source, p.c, err)
		return
	}
	if s.opt.WindowOn != "" && p.c.Source == s.opt.WindowOn {
		s.ResetStats()
	}
	if undo {
		s.at(later(s.now, p.undo), inv)
	}
}

// scheduleTimeline puts the topology's events on the heap, in order.
func (s *Sim) scheduleTimeline(evs []topology.Event) {
	cut := func(t time.Duration) {
		slot := s.atFor(int64(t), topology.Change{Source: topology.SourceTimeline}, 0)
		s.tl.pending[slot].what = schedCut
	}
	for _, e := range evs {
		cut(e.At)
		if e.For > 0 {
			cut(e.At + e.For)
		}
		for _, c := range e.Changes {
			if c.Source == "" {
				c.Source = topology.SourceTimeline
			}
			s.atFor(int64(e.At), c, int64(e.For))
		}
	}
}

// Do applies c now and says what it did ("app.workers 3 → 4", "node 2
// down: its requests failed"); the same text goes to the log and to the
// snapshot's marks. A refused change changes nothing. Do does not
// restart the measured window (ResetStats does).
func (s *Sim) Do(c topology.Change) (string, error) {
	if err := c.Check(); err != nil {
		return "", fmt.Errorf("%s: %w", c, err)
	}
	var msg string
	switch c.Action {
	case topology.ActSet:
		old, err := s.topo.Get(c.Path)
		if err != nil {
			return "", err
		}
		next, err := s.topo.With(c)
		if err != nil {
			return "", err
		}
		if err := s.dbRoom(&next.DB); err != nil {
			return "", err
		}
		now, _ := next.Get(c.Path)
		s.configure(next, false)
		msg = fmt.Sprintf("%s %s → %s", c.Path, old, now)
	case topology.ActNodeDown, topology.ActNodeUp:
		m, err := s.setNodeUp(c.Node-1, c.Action == topology.ActNodeUp)
		if err != nil {
			return "", err
		}
		msg = m
	case topology.ActCacheFlush, topology.ActCacheStop, topology.ActCacheStart:
		if s.topo.Cache == nil {
			return "", fmt.Errorf("%s: there is no cache", c)
		}
		msg = s.cacheAction(c.Action)
	case topology.ActPrimaryDown:
		m, err := s.primaryDown(c)
		if err != nil {
			return "", err
		}
		msg = m
	case topology.ActPrimaryUp:
		m, err := s.primaryUp(c)
		if err != nil {
			return "", err
		}
		msg = m
	case topology.ActSlow:
		tier := tierIndex(c.Tier)
		switch {
		case tier == tierCache && s.topo.Cache == nil:
			return "", fmt.Errorf("%s: there is no cache", c)
		case tier == tierOffload && s.topo.Offload == nil:
			return "", fmt.Errorf("%s: there is no offload service", c)
		}
		s.tl.slow[tier] = c.Factor
		msg = c.String()
	case topology.ActSay:
		if c.Text == "" {
			if c.Value != "" && c.Value != s.tl.caption.Text {
				return "caption kept: a later one replaced it", nil
			}
			s.tl.caption = Mark{}
			return "caption cleared", nil
		}
		s.tl.caption = Mark{At: time.Duration(s.now), Text: c.Text, Source: c.Source}
		msg = c.Text
	case topology.ActReconcile:
		if s.topo.Stock == nil {
			return "", fmt.Errorf("%s: there is no stock", c)
		}
		s.tl.claimed, msg = s.reconcileStock()
	}
	s.log.add(LogEntry{At: time.Duration(s.now), Text: msg, Source: c.Source})
	s.mark(Mark{At: time.Duration(s.now), Text: msg, Source: c.Source})
	if c.Source == topology.SourceTimeline {
		s.phaseLabel(msg)
	}
	return msg, nil
}

func tierIndex(name string) int {
	for i, t := range topology.Tiers {
		if t == name {
			return i
		}
	}
	return tierApp
}

// mark records an applied change in the ring of marks.
func (s *Sim) mark(m Mark) {
	s.life.marked(m.Source)
	tl := &s.tl
	tl.marked++
	if len(tl.marks) < maxMarks {
		tl.marks = append(tl.marks, m)
		return
	}
	tl.marks[tl.head] = m
	tl.head = (tl.head + 1) % maxMarks
}

// Marks returns the last applied changes, oldest first.
func (s *Sim) Marks() []Mark {
	tl := &s.tl
	out := make([]Mark, 0, len(tl.marks))
	out = append(out, tl.marks[tl.head:]...)
	return append(out, tl.marks[:tl.head]...)
}

// Next returns the next few changes of the timeline still to come, in
// the order they will apply; Text says what each will do.
func (s *Sim) Next() []Mark {
	var best [maxNext]*scheduled
	less := func(a, b *scheduled) bool { return a.t < b.t || (a.t == b.t && a.seq < b.seq) }
	n := 0
	tl := &s.tl
	for i := range tl.pending {
		p := &tl.pending[i]
		if !p.live || p.what != schedChange || p.c.Source != topology.SourceTimeline {
			continue
		}
		if n == maxNext && !less(p, best[n-1]) {
			continue
		}
		k := n
		if n < maxNext {
			n++
		} else {
			k = n - 1
		}
		for k > 0 && less(p, best[k-1]) {
			best[k] = best[k-1]
			k--
		}
		best[k] = p
	}
	out := make([]Mark, n)
	for i := range out {
		text := best[i].c.String()
		if best[i].c.Action == topology.ActSay {
			text = best[i].c.Text // a caption says what comes
		}
		out[i] = Mark{At: time.Duration(best[i].t), Text: text, Source: best[i].c.Source}
	}
	return out
}

// Caption is the last say: of the timeline, or an empty Mark.
func (s *Sim) Caption() Mark { return s.tl.caption }

// cacheAction flushes, stops or starts the cache. A stopped cache
// refuses its connections: every read is a miss that runs its miss
// steps, with no cache operation, and the following set fails silently
// (a cache client that ignores its errors, as django-redis does with
// IGNORE_EXCEPTIONS). It starts again empty, as a restarted Redis
// without persistence does.
func (s *Sim) cacheAction(a topology.Action) string {
	switch a {
	case topology.ActCacheStop:
		s.cache.flush()
		s.cache.down = true
		return "cache stopped: every read is a miss"
	case topology.ActCacheStart:
		s.cache.down = false
		return "cache started, empty"
	}
	s.cache.flush()
	return "cache flushed"
}

// slowed scales a service time d of tier by the tier's slow-down.
func (s *Sim) slowed(tier int, d int64) int64 {
	f := s.tl.slow[tier]
	if f == 1 {
		return d
	}
	x := float64(d) * f
	if x >= math.MaxInt64/2 {
		return math.MaxInt64 / 2
	}
	return int64(x)
}

// lateSeq orders a scheduled change after every other event due at its
// time, as a live edit made when the clock stands there is (Advance runs
// every event up to and including it first): a replayed or scripted
// change meets the state the live one did, even when work ends exactly
// then (a slice at a scheduler tick). Changes due at the same time keep
// the order they were scheduled in.
const lateSeq = 1 << 63

// scheduleLate puts change event e on the heap, after the other events
// due at its time.
func (s *Sim) scheduleLate(e event) {
	if e.t >= never {
		return
	}
	e.seq = s.seq | lateSeq
	s.seq++
	s.heap.push(e)
}
