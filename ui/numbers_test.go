package ui

import (
	"regexp"
	"testing"
	"time"

	"scalesim/presets"
)

// TestKeyNumbersWhole runs every preset at 80x24, at the reduced
// layouts down to the smallest and at 120x40 and 160x48 for a while and checks that each number its lesson
// needs is in the view whole, with one of its labels: the window's
// throughput, dropped and failed shares and latency percentiles, the
// stock sold, oversold and lost updates, the row lock's wait and hold, the optimistic conflicts and retries, the orders behind Redis, each formatted from the snapshot by the
// formatter the dashboard uses.
func TestKeyNumbersWhole(t *testing.T) {
	drawingOnly(t)
	for _, sz := range [][2]int{{80, 24}, {70, 22}, {60, 20}, {120, 40}, {160, 48}} {
		for _, p := range presets.List() {
			t.Run(p.Name+"-"+itoa(sz[0])+"x"+itoa(sz[1]), func(t *testing.T) {
				m, _ := newTestModel(t, loadPreset(t, p.Name), p.Name, sz[0], sz[1])
				runFor(m, 25*time.Second)
				view := screen(m)
				sum := &m.frame.Snap.Summary
				w := sum.Window
				if w.Arrived == 0 || w.Completed == 0 {
					t.Fatalf("nothing measured: %+v", w)
				}
				want := map[string]string{
					"served":  `(served |ok )` + regexp.QuoteMeta(num(round1(sum.ThroughputRPS))) + `( req)?/s`,
					"dropped": `(dropped |drop |x)` + regexp.QuoteMeta(share(w.Dropped, w.Arrived)),
					"failed":  `(failed |fail |!)` + regexp.QuoteMeta(share(w.Failed, w.Arrived)),
					"p50":     `p50 ` + regexp.QuoteMeta(ms(sum.LatencyMs.P50)) + `( |$)`,
					"p95":     `p95 ` + regexp.QuoteMeta(ms(sum.LatencyMs.P95)) + `( |$)`,
					"p99":     `p99 ` + regexp.QuoteMeta(ms(sum.LatencyMs.P99)) + `( |$)`,
				}
				if clientsDiffer(w) {
					want["answered"] = `(answered |good |g )` + regexp.QuoteMeta(num(round1(sum.GoodputRPS))) + `(/s|$| )`
					want["retries"] = `(retries |retry |r)` + regexp.QuoteMeta(share(w.Retries, w.Arrived)) + `( |$)`
				}
				if sk := sum.Stock; sk != nil {
					want["sold"] = `sold +` + regexp.QuoteMeta(count(sk.Sold)) + `( |$)`
					want["oversold"] = `oversold +(⚠ )?` + regexp.QuoteMeta(count(sk.Oversold)) + `( |$)`
					if sk.LostUpdates > 0 {
						n := regexp.QuoteMeta(count(sk.LostUpdates))
						want["lost updates"] = `(lost (updates )?` + n + `|` + n + ` updates lost)( |$)`
					}
					// below 80x24 the pane keeps its first lines only
					full := sz[1] >= 24
					if full && sk.Strategy == "row_lock" {
						want["lock wait"] = `wait +` + regexp.QuoteMeta(ms(sk.LockWaitMs)) + `( |$)`
						want["lock wait p99"] = `p99 ` + regexp.QuoteMeta(ms(sk.LockWaitP99Ms)) + `( |$)`
						want["lock held"] = `held ` + regexp.QuoteMeta(ms(sk.LockHoldMs)) + `( |$)`
					}
					if full && sk.Strategy == "optimistic" {
						want["conflicts"] = `conflict +` + regexp.QuoteMeta(count(sk.Conflicts)) + `( |$)`
						want["retries"] = `retries ` + regexp.QuoteMeta(count(sk.Retries)) + `( |$)`
					}
					if full && sk.Strategy == "redis" {
						want["orders queued"] = regexp.QuoteMeta(count(uint64(sk.OrdersQueued))) + ` queued( |$)`
						want["orders written"] = regexp.QuoteMeta(count(sk.OrdersWritten)) + ` written( |$)`
					}
				}
				for name, re := range want {
					if !regexp.MustCompile(`(?m)(^|[ ·])` + re).MatchString(view) {
						t.Errorf("%s (%s) is not whole in the view:\n%s", name, re, view)
					}
				}
			})
		}
	}
}

// TestShareNeverRoundsToAllOrNone: a share of the arrivals reads 0% only
// when none, 100% only when all: 996 of 1000 dropped while the rest are
// served is ">99%", not a "dropped 100%" beside "served 4/s"; 1 of 1000
// failed is "<1%", not "0%".
func TestShareNeverRoundsToAllOrNone(t *testing.T) {
	for _, c := range []struct {
		n, of uint64
		want  string
	}{
		{0, 0, "0%"}, {0, 1000, "0%"}, {1, 1000, "<1%"}, {4, 1000, "<1%"}, {5, 1000, "1%"},
		{430, 1000, "43%"}, {994, 1000, "99%"}, {996, 1000, ">99%"}, {999, 1000, ">99%"}, {1000, 1000, "100%"},
	} {
		if got := share(c.n, c.of); got != c.want {
			t.Errorf("share(%d, %d) = %q, want %q", c.n, c.of, got, c.want)
		}
	}
}

// A wait shorter than half a microsecond is not nothing: it reads <1µs,
// and only a wait of zero reads 0.
func TestMsNeverRoundsToZero(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 0.0001: "<1µs", 0.0004: "<1µs", 0.0005: "1µs", 0.25: "250µs", 4.5: "4.5ms", 45: "45ms", 1200: "1.2s"} {
		if got := ms(v); got != want {
			t.Errorf("ms(%v) = %q, want %q", v, got, want)
		}
	}
}
