package sim

import (
	"fmt"
	"time"
)

// LogEntry is one notable thing that happened in a run.
type LogEntry struct {
	At   time.Duration `json:"at"`
	Text string        `json:"text"`
	// Source is who made the change the entry tells of (a
	// topology.Change's Source: key, timeline, autoscaler, ...); empty
	// for what the simulation itself reports.
	Source string `json:"source,omitempty"`
}

// eventLog keeps the last entries in a ring.
type eventLog struct {
	entries []LogEntry
	head    int
	len     int
	capped  bool // the in-flight cap was hit (logged once)
	refused bool // a DB server refused a connection (logged once)
	killed  bool // harakiri killed a worker (logged once)
	lastMsg string
	lastAt  int64
	// formatted counts the lines logf formatted: a line of text costs an
	// allocation or a few, once a second at most per kind of trouble,
	// which is what a test of allocations allows for.
	formatted uint64
}

func (l *eventLog) init(n int) { l.entries = make([]LogEntry, n) }

func (l *eventLog) add(e LogEntry) {
	n := len(l.entries)
	i := (l.head + l.len) % n
	if l.len < n {
		l.len++
	} else {
		l.head = (l.head + 1) % n
	}
	l.entries[i] = e
}

// logf adds an entry, dropping repeats of the same text within a
// simulated second so that a storm of timeouts is one line.
func (s *Sim) logf(format string, args ...any) {
	s.log.formatted++
	msg := fmt.Sprintf(format, args...)
	if msg == s.log.lastMsg && s.now-s.log.lastAt < 1e9 {
		return
	}
	s.log.lastMsg, s.log.lastAt = msg, s.now
	s.log.add(LogEntry{At: time.Duration(s.now), Text: msg})
}

// logOnce logs only the first time flag is found false.
func (s *Sim) logOnce(flag *bool, format string, args ...any) {
	if *flag {
		return
	}
	*flag = true
	s.logf(format, args...)
}

// Note adds an entry to the run's log (a caller's own remark, such as
// what a user changed).
func (s *Sim) Note(text string) { s.log.add(LogEntry{At: time.Duration(s.now), Text: text}) }

// Log returns the log entries, oldest first.
func (s *Sim) Log() []LogEntry {
	out := make([]LogEntry, s.log.len)
	for k := range out {
		out[k] = s.log.entries[(s.log.head+k)%len(s.log.entries)]
	}
	return out
}
