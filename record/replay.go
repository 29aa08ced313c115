package record

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"scalesim/topology"
)

// SourceReplay is the Source of the changes a replay applies.
const SourceReplay = "replay"

// Scenario is the recording as a topology file: the starting topology
// with the recorded changes added to its events: (after the file's own
// events at the same time, as the dashboard applied them), each change
// with the given source ("" makes them timeline events, as a file's).
// Changes made at the same time make one event.
func (r *Recording) Scenario(source string) (*topology.Topology, error) {
	t := r.Topology.Clone()
	var evs []topology.Event
	for _, tc := range r.Changes {
		c := tc.Change
		c.Source = source
		if n := len(evs); n > 0 && evs[n-1].At == tc.At {
			evs[n-1].Changes = append(evs[n-1].Changes, c)
			continue
		}
		evs = append(evs, topology.Event{At: tc.At, Changes: []topology.Change{c}})
	}
	t.Events = append(t.Events, evs...)
	sort.SliceStable(t.Events, func(i, j int) bool { return t.Events[i].At < t.Events[j].At })
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("the recording as a timeline: %w", err)
	}
	return t, nil
}

// Length is how far the recording goes in simulated time: its last
// change or checksum, rounded up to a whole second.
func (r *Recording) Length() time.Duration {
	var end time.Duration
	if n := len(r.Changes); n > 0 {
		end = r.Changes[n-1].At
	}
	if n := len(r.Checksums); n > 0 {
		end = max(end, r.Checksums[n-1].At)
	}
	return (end + time.Second - 1).Truncate(time.Second)
}

// Verifier compares a replay's checksums with a recording's.
type Verifier struct {
	rec     *Recording
	next    int
	diverge *Divergence
}

// Divergence is the first checksum a replay did not reproduce.
type Divergence struct {
	Line          int // the recording's line
	At            time.Duration
	Expected, Got Checksum
	Versions      [2]string // recorded with, replayed with, when they differ
}

func (d *Divergence) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the replay diverges from the recording at %s (the checksum on line %d):\n  expected %s\n  got      %s",
		topology.FormatDuration(d.At), d.Line, d.Expected.counts(), d.Got.counts())
	if d.Versions[0] != "" {
		fmt.Fprintf(&b, "\nit was recorded with scalesim %s; this is scalesim %s", d.Versions[0], d.Versions[1])
	}
	return b.String()
}

// NewVerifier returns a Verifier of rec; give its Check to a Counter.
func NewVerifier(rec *Recording) *Verifier { return &Verifier{rec: rec} }

// Check compares the replay's checksum got with the recording's at the
// same time.
func (v *Verifier) Check(got Checksum) {
	cs := v.rec.Checksums
	for v.next < len(cs) && cs[v.next].At < got.At {
		v.next++
	}
	if v.diverge != nil || v.next >= len(cs) || cs[v.next].At != got.At {
		return
	}
	want := cs[v.next]
	v.next++
	if want.Sum == got.Sum && want.Arrived == got.Arrived && want.Completed == got.Completed && want.Dropped == got.Dropped && want.Failed == got.Failed {
		return
	}
	d := &Divergence{Line: want.line, At: got.At, Expected: want, Got: got}
	if now := Version(); now != v.rec.Version {
		d.Versions = [2]string{v.rec.Version, now}
	}
	v.diverge = d
}

// Result is the first divergence, or nil; checked is how many of the
// recording's checksums the replay reached.
func (v *Verifier) Result() (checked int, err error) {
	if v.diverge != nil {
		return v.next, v.diverge
	}
	return v.next, nil
}
