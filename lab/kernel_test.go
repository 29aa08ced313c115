package lab

import (
	"slices"
	"testing"

	"scalesim/lab/measured"
)

func TestRelease(t *testing.T) {
	for _, c := range []struct {
		s            string
		major, minor int
		ok           bool
	}{{"6.18.44-fc-v973\n", 6, 18, true}, {"5.15.0-91-generic", 5, 15, true}, {"6.6", 6, 6, true}, {"garbage", 0, 0, false}, {"", 0, 0, false}} {
		major, minor, ok := release(c.s)
		if ok != c.ok || ok && (major != c.major || minor != c.minor) {
			t.Errorf("release(%q) = %d, %d, %v; want %d, %d, %v", c.s, major, minor, ok, c.major, c.minor, c.ok)
		}
	}
}

// TestKernelSchedulerParses: whatever this machine's kernel, the keys it
// gives are ones the topology format takes.
func TestKernelSchedulerParses(t *testing.T) {
	keys, why := kernelScheduler()
	if why == "" {
		t.Fatal("no reason given")
	}
	closed := cases[slices.IndexFunc(cases, func(c labCase) bool { return c.users > 0 })]
	if _, err := closed.topology(model{service: 10, rate: 0, os: keys}); err != nil {
		t.Fatalf("%q: %v", keys, err)
	}
	if _, err := closed.topology(model{service: 10, os: measured.DevOS}); err != nil {
		t.Fatalf("%q: %v", measured.DevOS, err)
	}
}
