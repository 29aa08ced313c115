package metrics

import (
	"strconv"
	"sync/atomic"
	"time"

	"scalesim/sim"
)

// Publisher holds the latest snapshot of a simulation for scrapes. The
// loop that owns the simulation calls Publish with each snapshot it
// takes; a scrape loads the pointer. Neither waits for the other.
type Publisher struct {
	base   string // this process's part of run_id
	latest atomic.Pointer[published]
}

type published struct {
	runID string
	snap  sim.Snapshot
}

// NewPublisher starts a publisher with nothing published yet. Its run
// ids begin with the wall-clock second it was made, so that two
// processes' runs are told apart.
func NewPublisher() *Publisher {
	return &Publisher{base: strconv.FormatInt(time.Now().Unix(), 10)}
}

// Publish makes s the snapshot scrapes read. run numbers the
// simulation within the process (the dashboard's generation): a new
// number is a new run_id. s must not be modified afterwards; a
// snapshot is plain data that nobody modifies, so the caller may keep
// reading it. A nil publisher does nothing.
func (p *Publisher) Publish(run int, s sim.Snapshot) {
	if p == nil {
		return
	}
	p.latest.Store(&published{runID: p.base + "-" + strconv.Itoa(run), snap: s})
}

// Families builds the families of the latest snapshot; ok is false
// before the first Publish.
func (p *Publisher) Families() (f *Families, ok bool) {
	l := p.latest.Load()
	if l == nil {
		return nil, false
	}
	return Live(l.runID, &l.snap), true
}
