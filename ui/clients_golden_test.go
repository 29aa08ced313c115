package ui

import (
	"strings"
	"testing"
	"time"
)

// TestGoldenRetryStorm is the retry-storm preset a minute after its
// spike, at 80x24: arrivals at three times the load, completions at
// the server's capacity, answers at zero, the backlog full.
func TestGoldenRetryStorm(t *testing.T) {
	drawingOnly(t)
	m, _ := newTestModel(t, loadPreset(t, "retry-storm"), "retry-storm", 80, 24)
	runFor(m, 100*time.Second)
	got := screen(m)
	checkScreen(t, got, 80, 24)
	answered := ""
	for _, l := range splitLines(got) {
		if strings.HasPrefix(l, "answered/s") {
			answered = l
		}
	}
	if !strings.HasSuffix(strings.TrimRight(answered, " "), " 0") || !containsAll(got, "good ", "retry ") {
		t.Errorf("the storm's numbers are not on screen (answered/s row %q):\n%s", answered, got)
	}
	requireGolden(t, "retry-storm-after-the-spike-80x24", got)
}
