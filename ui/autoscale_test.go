package ui

import (
	"strings"
	"testing"
	"time"

	"scalesim/sim"
)

// TestAutoscaleLine: the autoscaler's line says the metric against its
// target, the nodes up, booting and desired, at 80 cells and narrower,
// keeping the numbers whole.
func TestAutoscaleLine(t *testing.T) {
	st := newStyles(newTheme(true))
	a := &sim.AutoscaleState{Metric: "cpu", Value: 0.997, Target: 0.6, Measured: true, Current: 2, Booting: 2,
		Desired: 4, Recommended: 4, BootLeft: 72 * time.Second, NextAt: 30 * time.Second, LastAt: 15 * time.Second}
	tests := []struct {
		w    int
		want string
	}{
		{100, "autoscaler cpu 99% (target 60%) · 2 up · ◌ 2 booting, up in 1:12 · desired 4 · next in 9s"},
		{80, "autoscaler cpu 99% (target 60%) · 2 up · ◌ 2 booting, up in 1:12 · desired 4"},
		{60, "autoscaler cpu 99%/60% · 2 up · ◌ 2 booting 1:12 · desired 4"},
		{40, "hpa cpu 99%/60% · 2 up · ◌2 1:12 · →4"},
	}
	for _, tt := range tests {
		got := autoscaleLine(a, 21*time.Second, tt.w, &st)
		if got != tt.want {
			t.Errorf("width %d:\ngot  %q\nwant %q", tt.w, got, tt.want)
		}
		if width(got) > tt.w {
			t.Errorf("width %d: line is %d cells", tt.w, width(got))
		}
	}
	held := &sim.AutoscaleState{Metric: "busy_workers", Value: 0.2, Target: 0.7, Measured: true, Current: 9, Desired: 9,
		Recommended: 3, Limit: "scale-down window", NextAt: 30 * time.Second}
	got := autoscaleLine(held, 20*time.Second, 80, &st)
	if !strings.Contains(got, "busy workers 20% (target 70%)") || !strings.Contains(got, "desired 9 (scale-down window)") {
		t.Errorf("held by the window: %q", got)
	}
	p99 := &sim.AutoscaleState{Metric: "p99", Target: 200, Current: 1, Desired: 1}
	if got := autoscaleLine(p99, 0, 80, &st); !strings.HasPrefix(got, "autoscaler p99 – (target 200ms)") {
		t.Errorf("before the first evaluation: %q", got)
	}
}
