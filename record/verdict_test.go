package record

import (
	"testing"
	"time"
)

// TestVerdict: the one line both replays print, as the checksums are
// reproduced, when the run stops short, and at a divergence.
func TestVerdict(t *testing.T) {
	sums := []Checksum{
		newChecksum(10*time.Second, 500, 490, 2, 1),
		newChecksum(20*time.Second, 1000, 980, 4, 1),
		newChecksum(30*time.Second, 1500, 1470, 6, 1),
	}
	rec := &Recording{Checksums: sums, Version: Version()}

	v := NewVerifier(rec)
	if got := v.Verdict().String(); got != "replay agrees with 0 of 3 checksums so far" {
		t.Errorf("before any: %q", got)
	}
	v.Check(sums[0])
	v.Check(sums[1])
	if got := v.Verdict().String(); got != "replay agrees with 2 of 3 checksums so far" {
		t.Errorf("two: %q", got)
	}
	v.Check(sums[2])
	if got := v.Verdict().String(); got != "replay agrees with 3 checksums" {
		t.Errorf("all: %q", got)
	}

	v = NewVerifier(rec)
	v.Check(sums[0])
	bad := newChecksum(20*time.Second, 1000, 979, 5, 1)
	v.Check(bad)
	v.Check(sums[2]) // after a divergence, nothing more is compared
	vd := v.Verdict()
	if vd.Agreed != 1 || vd.Diverged == nil || vd.Diverged.At != 20*time.Second {
		t.Fatalf("verdict %+v, want 1 agreed and a divergence at 20s", vd)
	}
	want := "replay diverged at 0:20: expected completed 980, got 979; expected dropped 4, got 5"
	if got := vd.String(); got != want {
		t.Errorf("diverged:\n got %q\nwant %q", got, want)
	}

	// an edited hash with the counts intact
	v = NewVerifier(rec)
	forged := sums[0]
	forged.Sum = "0123456789abcdef"
	v.Check(forged)
	if got := v.Verdict().String(); got != "replay diverged at 0:10: expected checksum "+sums[0].Sum+", got 0123456789abcdef" {
		t.Errorf("hash only: %q", got)
	}
	if got := (Verdict{}).String(); got != "the recording has no checksums to compare" {
		t.Errorf("none: %q", got)
	}
}
