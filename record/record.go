// Package record writes and reads recordings of dashboard sessions: the
// scalesim version, the seed, the starting topology and every change the
// user made with its simulated time, plus periodic checksums of the
// counters, so that a rehearsed demo can be replayed exactly and a replay
// that diverges says where. It knows the change vocabulary of topology
// and the per-second rows of sim; it knows nothing of terminals.
package record

import (
	"fmt"
	"hash/fnv"
	"runtime/debug"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// Recording is a recorded session.
type Recording struct {
	// Version is the scalesim that recorded it (see Version).
	Version string
	// Seed is the seed the session ran with.
	Seed uint64
	// Topology is the topology at the start (simulated time 0), its
	// Seed set to Seed.
	Topology *topology.Topology
	// Changes are the user's changes, in order of At.
	Changes []Timed
	// Checksums are the counters' checksums, in order of At.
	Checksums []Checksum
}

// Timed is a change applied at simulated time At.
type Timed struct {
	At     time.Duration
	Change topology.Change
	line   int // where a read recording has it, for errors
	col    int
}

// Every is how often, in simulated time, a recording checks the
// counters.
const Every = 10 * time.Second

// MaxAt is the latest time a recording's log may hold: a replay runs to
// its last entry, and scalesim simulates at most 100 years (the clock
// counts nanoseconds up to 292).
const MaxAt = 100 * 365 * 24 * time.Hour

// Checksum is the state of the run's counters at simulated time At: the
// attempts that arrived, completed, were dropped and failed since the
// start, and a hash of them and the clock.
type Checksum struct {
	At                                  time.Duration
	Arrived, Completed, Dropped, Failed uint64
	Sum                                 string
	line                                int
}

// newChecksum is the checksum of the counters at at.
func newChecksum(at time.Duration, arrived, completed, dropped, failed uint64) Checksum {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d %d %d %d %d", int64(at), arrived, completed, dropped, failed)
	return Checksum{At: at, Arrived: arrived, Completed: completed, Dropped: dropped, Failed: failed, Sum: fmt.Sprintf("%016x", h.Sum64())}
}

// counts says what a checksum counted, for a divergence message.
func (c Checksum) counts() string {
	return fmt.Sprintf("%s (arrived %d, completed %d, dropped %d, failed %d)", c.Sum, c.Arrived, c.Completed, c.Dropped, c.Failed)
}

// Counter turns a run's seconds (sim.Options.OnSecond) into a checksum
// every Every of simulated time, given to emit.
type Counter struct {
	arrived, completed, dropped, failed uint64
	emit                                func(Checksum)
}

// NewCounter returns a Counter that gives emit each checksum.
func NewCounter(emit func(Checksum)) *Counter { return &Counter{emit: emit} }

// Second adds one closed second; it fits sim.Options.OnSecond.
func (c *Counter) Second(r sim.Second) {
	c.arrived += r.Arrived
	c.completed += r.Completed
	c.dropped += r.Dropped
	c.failed += r.Failed
	at := time.Duration(r.T * 1e9).Round(time.Second)
	if at > 0 && at%Every == 0 {
		c.emit(newChecksum(at, c.arrived, c.completed, c.dropped, c.failed))
	}
}

// Version names this build of scalesim: its module version and, when
// built from a git checkout, the commit (with +dirty for local edits).
func Version() string {
	v := "devel"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if m := bi.Main.Version; m != "" && m != "(devel)" {
		v = m
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " " + rev + dirty
	}
	return v
}
