package ui

import (
	"regexp"
	"strings"
	"testing"
)

// TestCompactRateKeepsAGap: in the compact diagram the clients' rate
// never touches the bus that leaves it ("10000000 req/s─┬─▶"), however
// wide the rate.
func TestCompactRateKeepsAGap(t *testing.T) {
	touching := regexp.MustCompile(`req/s[─┬├└▶]`)
	for _, rate := range []float64{500, 123456, 10000000} {
		for _, sz := range [][2]int{{80, 24}, {60, 20}} {
			top := loadPreset(t, "nginx-nodes")
			top.App.Nodes, top.Workload.Rate = 12, rate
			m, _ := newTestModel(t, top, "nginx-nodes", sz[0], sz[1])
			view := screen(m)
			if !strings.Contains(view, "req/s") {
				t.Fatalf("rate %v at %dx%d: no rate in the view:\n%s", rate, sz[0], sz[1], view)
			}
			if l := touching.FindString(view); l != "" {
				t.Errorf("rate %v at %dx%d: the rate touches the bus:\n%s", rate, sz[0], sz[1], view)
			}
		}
	}
}
