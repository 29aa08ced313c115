package story

import (
	"math"
	"strings"
	"testing"
)

// TestParseClaim reads claims as written and their values in the
// measures' units.
func TestParseClaim(t *testing.T) {
	cases := []struct {
		measure, text string
		op            string
		value         float64
		rel           int
	}{
		{"p99", "< 200ms", "<", 200, -1},
		{"p99", "<=2s", "<=", 2000, -1},
		{"mean", "> 500us", ">", 0.5, -1},
		{"p50", "< 250 µs", "<", 0.25, -1},
		{"throughput", "> 1.5x step 2", ">", 1.5, 1},
		{"throughput", ">= 100/s", ">=", 100, -1},
		{"goodput", "> 100", ">", 100, -1},
		{"errors", "< 1%", "<", 0.01, -1},
		{"hit_ratio", ">= 62.5%", ">=", 0.625, -1},
		{"oversold", "== 0", "==", 0, -1},
		{"oversold", "> 0.5x step 1", ">", 0.5, 0},
		{"db_util", "< 0.5 x step 3", "<", 0.5, 2},
	}
	for _, c := range cases {
		m, _ := measureOf(c.measure)
		got, err := parseClaim(m, c.text, 3)
		if err != nil {
			t.Errorf("%s %q: %s", c.measure, c.text, err.msg)
			continue
		}
		if got.Op != c.op || math.Abs(got.Value-c.value) > 1e-12 || got.Rel != c.rel || got.Text != c.measure+" "+c.text {
			t.Errorf("%s %q: %+v", c.measure, c.text, got)
		}
	}
	bad := []struct{ measure, text, want string }{
		{"p99", "200ms", "starts with"},
		{"p99", "<", "a value after <"},
		{"p99", "< 200", "give it a unit"},
		{"p99", "< 200 minutes", "give it a unit"},
		{"p99", "< -1ms", "expected a number"},
		{"errors", "< 0.01", "with %"},
		{"errors", "< 101%", "at most 100%"},
		{"throughput", "> 100 rps", "bare or with /s"},
		{"oversold", "> 0%", "bare number"},
		{"throughput", "> 1.5 step 2", "a factor and a step"},
		{"throughput", "> ax step 2", "the factor must be a number"},
		{"throughput", "> 1.5x step two", "the step must be a number"},
		{"throughput", "> 1.5x step 4", "an earlier step, 1 to 3"},
		{"throughput", "> 1.5x step 0", "an earlier step"},
		{"throughput", "> NaNx step 1", "the factor must be a number"},
		{"throughput", "> Inf", "expected a number"},
	}
	for _, c := range bad {
		m, _ := measureOf(c.measure)
		if _, err := parseClaim(m, c.text, 3); err == nil || !strings.Contains(err.msg, c.want) {
			t.Errorf("%s %q: %v, want %q", c.measure, c.text, err, c.want)
		}
	}
}

// TestClaimHolds compares with each operator, absolute and relative;
// a value that is missing (NaN) never holds.
func TestClaimHolds(t *testing.T) {
	c := func(op string, v float64, rel int) Claim { return Claim{Op: op, Value: v, Rel: rel} }
	cases := []struct {
		c      Claim
		v, ref float64
		want   bool
	}{
		{c("<", 10, -1), 9.9, 0, true},
		{c("<", 10, -1), 10, 0, false},
		{c("<=", 10, -1), 10, 0, true},
		{c(">", 10, -1), 10, 0, false},
		{c(">=", 10, -1), 10, 0, true},
		{c("==", 0, -1), 0, 0, true},
		{c("==", 0, -1), 1, 0, false},
		{c(">", 1.5, 0), 16, 10, true},
		{c(">", 1.5, 0), 15, 10, false},
		{c("<", 0.5, 0), 4, 10, true},
		{c("<", 10, -1), math.NaN(), 0, false},
		{c(">", 1.5, 0), 16, math.NaN(), false},
		{c("<", 0.5, 0), 4, math.NaN(), false},
	}
	for _, x := range cases {
		if got := x.c.holds(x.v, x.ref); got != x.want {
			t.Errorf("%+v holds(%v, %v) = %v", x.c, x.v, x.ref, got)
		}
	}
}
