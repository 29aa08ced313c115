package record

import (
	"fmt"
	"strings"
	"time"
)

// Verdict is what a replay has found so far against its recording: how
// many of the recording's checksums it reproduced, of how many, and its
// first divergence. The headless replay prints it and the dashboard's
// replay shows it on its status line, so both say the same.
type Verdict struct {
	Agreed   int // checksums reproduced, before any divergence
	Total    int // checksums in the recording
	Diverged *Divergence
}

// Verdict is the replay's verdict so far.
func (v *Verifier) Verdict() Verdict {
	vd := Verdict{Agreed: v.next, Total: len(v.rec.Checksums), Diverged: v.diverge}
	if v.diverge != nil {
		vd.Agreed = v.next - 1 // the last one compared is the one that differs
	}
	return vd
}

// String is the verdict in one line: "replay agrees with 3 checksums",
// "replay agrees with 3 of 5 checksums so far", or "replay diverged at
// 0:40: expected completed 112311, got 12311".
func (vd Verdict) String() string {
	switch {
	case vd.Diverged != nil:
		return "replay diverged at " + vd.Diverged.Short()
	case vd.Total == 0:
		return "the recording has no checksums to compare"
	case vd.Agreed < vd.Total:
		return fmt.Sprintf("replay agrees with %d of %d %s so far", vd.Agreed, vd.Total, plural(vd.Total, "checksum"))
	}
	return fmt.Sprintf("replay agrees with %d %s", vd.Agreed, plural(vd.Agreed, "checksum"))
}

// Short is the divergence in a status line's words: the time as m:ss,
// then the counts that differ, expected and got (the hashes when only
// they differ, as in an edited file).
func (d *Divergence) Short() string {
	e, g := d.Expected, d.Got
	var parts []string
	for _, f := range []struct {
		name string
		e, g uint64
	}{{"arrived", e.Arrived, g.Arrived}, {"completed", e.Completed, g.Completed}, {"dropped", e.Dropped, g.Dropped}, {"failed", e.Failed, g.Failed}} {
		if f.e != f.g {
			parts = append(parts, fmt.Sprintf("expected %s %d, got %d", f.name, f.e, f.g))
		}
	}
	if len(parts) == 0 {
		parts = []string{fmt.Sprintf("expected checksum %s, got %s", e.Sum, g.Sum)}
	}
	return minSec(d.At) + ": " + strings.Join(parts, "; ")
}

// minSec formats a whole simulated time as m:ss (h:mm:ss from an hour).
func minSec(d time.Duration) string {
	s := int64(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
