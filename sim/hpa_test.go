package sim

import (
	"testing"
	"time"
)

// TestHPAReplicas is the replica calculator's table: (current, metric,
// target) to the recommendation, with every pod ready, as the Kubernetes
// documentation's examples and the tolerance describe.
func TestHPAReplicas(t *testing.T) {
	tests := []struct {
		current        int
		metric, target float64 // whole percentages, as the HPA computes them
		want           int
	}{
		{1, 200, 100, 2}, // the documentation's 200m against 100m: double
		{4, 50, 100, 2},  // 50m against 100m: half
		{4, 70, 70, 4},   // on target
		{4, 77, 70, 4},   // ratio 1.1: within the tolerance (inclusive)
		{4, 78, 70, 5},   // ratio 1.114: ceil(4.457)
		{4, 63, 70, 4},   // ratio 0.9: within the tolerance
		{4, 62, 70, 4},   // ratio 0.886: ceil(3.54) = 4, no change
		{10, 62, 70, 9},  // ratio 0.886: ceil(8.86)
		{3, 100, 50, 6},  // ratio 2
		{10, 10, 80, 2},  // ratio 0.125: ceil(1.25)
		{10, 0, 80, 0},   // nothing used: the bounds decide
		{2, 90, 70, 3},   // ratio 1.286: ceil(2.571)
		{7, 90, 70, 9},   // ratio 1.286: ceil(9)
	}
	for _, tt := range tests {
		got := hpaReplicas(tt.current, tt.current, 0, tt.metric/tt.target, 0.1)
		if got != tt.want {
			t.Errorf("current %d, metric %v%%, target %v%%: got %d, want %d", tt.current, tt.metric, tt.target, got, tt.want)
		}
	}
}

// TestHPAUnready: pods still starting count as using nothing on a
// scale-up, so a pool waiting for its new pods does not ask for more for
// the load they will take.
func TestHPAUnready(t *testing.T) {
	tests := []struct {
		current, ready int
		ratio          float64
		want           int
	}{
		{8, 4, 2, 8},    // 4 ready at twice the target, 4 booting: 8 is what they asked for
		{8, 4, 3, 12},   // three times: 12 (the booting 4 at 0% → ratio 1.5 over 8)
		{8, 4, 1.5, 8},  // 4 × 1.5 / 8 = 0.75 < 1: a change of direction, no change
		{8, 4, 2.2, 8},  // 4 × 2.2 / 8 = 1.1: within the tolerance
		{8, 4, 0.5, 2},  // a scale-down ignores the unready: ceil(4 × 0.5)
		{8, 2, 10, 20},  // refilled: ratio 2.5 over 8 pods, ceil(20)
		{8, 7, 1.05, 8}, // within the tolerance before any refill
	}
	for _, tt := range tests {
		got := hpaReplicas(tt.current, tt.ready, tt.current-tt.ready, tt.ratio, 0.1)
		if got != tt.want {
			t.Errorf("current %d, ready %d, ratio %v: got %d, want %d", tt.current, tt.ready, tt.ratio, got, tt.want)
		}
	}
	if got := hpaObjectReplicas(8, 4, 2, 0.1); got != 8 {
		t.Errorf("object metric: 4 ready at ratio 2 gave %d, want 8", got)
	}
	if got := hpaObjectReplicas(8, 4, 1.05, 0.1); got != 8 {
		t.Errorf("object metric within the tolerance gave %d, want 8", got)
	}
}

const sec = int64(time.Second)

// TestHPAScaleDownWaitsForWindow: after a peak, the count stays at the
// peak's recommendation until that recommendation is older than the
// scale-down window, then drops at once (the default policy allows 100%
// per period).
func TestHPAScaleDownWaitsForWindow(t *testing.T) {
	h := hpaRule{window: 300 * sec}
	current := 10
	if got, _ := h.decide(0, current, 10, true, 1, 20); got != 10 {
		t.Fatalf("at 0: got %d, want 10", got)
	}
	for at := 15 * sec; at < 300*sec; at += 15 * sec {
		got, why := h.decide(at, current, 2, true, 1, 20)
		if got != 10 || why != limitWindow {
			t.Fatalf("at %ds: got %d (%v), want 10 held by the window", at/sec, got, why)
		}
	}
	got, why := h.decide(300*sec, current, 2, true, 1, 20)
	if got != 2 || why != limitNone {
		t.Errorf("at 300s: got %d (%v), want 2: the peak left the window", got, why)
	}
	// a short window follows the recommendations closely: the highest of
	// the last 30 s
	h = hpaRule{window: 30 * sec}
	wants := []struct{ rec, want int }{{10, 10}, {6, 10}, {4, 6}, {3, 4}, {8, 8}, {2, 8}}
	current = 10
	for i, w := range wants {
		got, _ := h.decide(int64(i)*15*sec, current, w.rec, true, 1, 20)
		if got != w.want {
			t.Errorf("step %d: recommendation %d gave %d, want %d", i, w.rec, got, w.want)
		}
		current = got
	}
}

// TestHPAScaleUpLimit: the default policy lets a pool grow by
// max(100%, 4 pods) per 15 s, counted from the size at the start of the
// period, and never past max.
func TestHPAScaleUpLimit(t *testing.T) {
	h := hpaRule{window: 300 * sec}
	current := 1
	for i, want := range []int{5, 10, 20, 40, 80, 100, 100} {
		got, why := h.decide(int64(i)*15*sec, current, 1000, true, 1, 100)
		if got != want {
			t.Fatalf("evaluation %d from %d: got %d (%v), want %d", i, current, got, why, want)
		}
		if wantWhy := limitScaleUp; (want == 100 && why != limitMax) || (want < 100 && why != wantWhy) {
			t.Errorf("evaluation %d: limited by %v", i, why)
		}
		current = got
	}
	// evaluating every 5 s: the period still counts 15 s of scale-ups
	h = hpaRule{window: 300 * sec}
	current = 1
	for i, want := range []int{5, 5, 5, 10, 10, 10, 20} {
		got, _ := h.decide(int64(i)*5*sec, current, 1000, true, 1, 100)
		if got != want {
			t.Fatalf("at %ds from %d: got %d, want %d", i*5, current, got, want)
		}
		current = got
	}
}

// TestHPABounds: min and max clamp the decision; a count outside them
// goes straight back; no metric, no change.
func TestHPABounds(t *testing.T) {
	h := hpaRule{window: 0}
	if got, why := h.decide(0, 4, 1, true, 3, 10); got != 3 || why != limitMin {
		t.Errorf("scale-down below min: got %d (%v), want 3 (min)", got, why)
	}
	if got, why := h.decide(15*sec, 3, 12, true, 3, 10); got != 7 || why != limitScaleUp {
		t.Errorf("scale-up from 3: got %d (%v), want 7 (3+4)", got, why)
	}
	if got, why := h.decide(30*sec, 12, 12, true, 3, 10); got != 10 || why != limitOutOfRange {
		t.Errorf("12 above max 10: got %d (%v), want 10", got, why)
	}
	if got, why := h.decide(45*sec, 1, 1, true, 3, 10); got != 3 || why != limitOutOfRange {
		t.Errorf("1 below min 3: got %d (%v), want 3", got, why)
	}
	if got, why := h.decide(60*sec, 5, 50, false, 3, 10); got != 5 || why != limitNoMetric {
		t.Errorf("no metric: got %d (%v), want 5 unchanged", got, why)
	}
}
