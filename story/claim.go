package story

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"scalesim/topology"
)

// Claim is one expectation of a step about its own run: a measure, an
// operator and a value, absolute or relative to an earlier step.
type Claim struct {
	// Measure is one of Measures: throughput, p99, oversold, ...
	Measure string
	// Op is <, <=, >, >= or ==.
	Op string
	// Value is the bound in the measure's unit (see Measures): ms for
	// latencies, a fraction for errors, drops, hit_ratio and
	// utilisations (1% is 0.01), per second for rates, units for
	// oversold; for a relative claim, the factor.
	Value float64
	// Rel is the step (0-based) a relative claim compares with ("> 1.5x
	// step 2" has Rel 1 and Value 1.5), or -1.
	Rel int
	// Text is the claim as written, with its measure: "throughput >
	// 1.5x step 2".
	Text string
	// Line and Col are where the claim is written.
	Line, Col int
}

// kind is what a measure counts, which decides its units.
type kind int

const (
	kindLatency  kind = iota // ms; written with ms, s, us or µs
	kindRate                 // per second; written bare or with /s
	kindFraction             // 0 to 1; written with %
	kindCount                // units; written bare
)

// measure is one figure a claim can name.
type measure struct {
	name string
	kind kind
	what string // for the README and hints
}

// Measures are the figures a claim can name, each over the step's own
// run (from its start to the end of its run:).
var measures = []measure{
	{"throughput", kindRate, "answers per second (attempts completed)"},
	{"goodput", kindRate, "answers per second their clients waited for"},
	{"mean", kindLatency, "mean latency of answered requests"},
	{"p50", kindLatency, "median latency"},
	{"p95", kindLatency, "95th percentile latency"},
	{"p99", kindLatency, "99th percentile latency"},
	{"errors", kindFraction, "logical requests dropped, failed or abandoned"},
	{"drops", kindFraction, "attempts refused at the door (backlog full)"},
	{"oversold", kindCount, "units sold beyond the stock during the step"},
	{"sales", kindRate, "confirmed sales per second"},
	{"hit_ratio", kindFraction, "cache lookups that hit"},
	{"app_util", kindFraction, "busy worker slots"},
	{"cpu_util", kindFraction, "busy app cores"},
	{"db_util", kindFraction, "busy database cores"},
	{"offload_util", kindFraction, "busy offload cores"},
}

// Measures lists the names a claim can measure, in the README's order.
func Measures() []string {
	out := make([]string, len(measures))
	for i, m := range measures {
		out[i] = m.name
	}
	return out
}

func measureOf(name string) (measure, bool) {
	for _, m := range measures {
		if m.name == name {
			return m, true
		}
	}
	return measure{}, false
}

// ops are the operators, longest first so that <= is not read as <.
var ops = []string{"<=", ">=", "==", "<", ">"}

// claimError is a claim that cannot be read: what is wrong, and a hint.
type claimError struct{ msg, hint string }

// parseClaim reads text, a claim about measure m of step at (0-based),
// as written in a file: "> 1.5x step 2", "< 200ms", "== 0", "< 1%".
func parseClaim(m measure, text string, at int) (Claim, *claimError) {
	c := Claim{Measure: m.name, Rel: -1, Text: m.name + " " + strings.TrimSpace(text)}
	s := strings.TrimSpace(text)
	for _, op := range ops {
		if strings.HasPrefix(s, op) {
			c.Op = op
			s = strings.TrimSpace(s[len(op):])
			break
		}
	}
	if c.Op == "" {
		return c, &claimError{"a claim starts with <, <=, >, >= or ==", "e.g. " + example(m)}
	}
	if s == "" {
		return c, &claimError{"a value after " + c.Op, "e.g. " + example(m)}
	}
	// relative: 1.5x step 2
	if i := strings.Index(s, "step"); i >= 0 {
		f := strings.TrimSpace(s[:i])
		n := strings.TrimSpace(s[i+len("step"):])
		f, ok := strings.CutSuffix(f, "x")
		if !ok {
			return c, &claimError{"a relative claim is a factor and a step", "e.g. " + m.name + ": \"> 1.5x step 2\""}
		}
		v, err := topology.ParseNumber(f)
		if err != nil || !(v >= 0) {
			return c, &claimError{fmt.Sprintf("the factor must be a number, got %q", strings.TrimSpace(f)), "e.g. 1.5x step 2"}
		}
		k, err := strconv.Atoi(n)
		if err != nil {
			return c, &claimError{fmt.Sprintf("the step must be a number, got %q", n), "steps count from 1"}
		}
		if k < 1 || k > at {
			if at == 0 {
				return c, &claimError{"step 1 has no earlier step to compare with", "write an absolute value, e.g. " + example(m)}
			}
			return c, &claimError{fmt.Sprintf("a claim compares with an earlier step, 1 to %d; got step %d", at, k), ""}
		}
		c.Value, c.Rel = v, k-1
		return c, nil
	}
	v, e := parseValue(m, s)
	if e != nil {
		return c, e
	}
	c.Value = v
	return c, nil
}

// parseValue reads an absolute value of measure m in its units.
func parseValue(m measure, s string) (float64, *claimError) {
	num := strings.TrimRightFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.') })
	unit := strings.TrimSpace(s[len(num):])
	v, err := topology.ParseNumber(num)
	if err != nil || v < 0 {
		return 0, &claimError{fmt.Sprintf("expected a number, got %q", s), "e.g. " + example(m)}
	}
	switch m.kind {
	case kindLatency:
		scale, ok := map[string]float64{"ms": 1, "s": 1000, "us": 0.001, "µs": 0.001}[unit]
		if !ok {
			return 0, &claimError{fmt.Sprintf("%s is a latency: give it a unit (ms, s, us), got %q", m.name, s), "e.g. " + example(m)}
		}
		return v * scale, nil
	case kindRate:
		if unit != "" && unit != "/s" {
			return 0, &claimError{fmt.Sprintf("%s is per second: write it bare or with /s, got %q", m.name, s), "e.g. " + example(m)}
		}
		return v, nil
	case kindFraction:
		if unit != "%" {
			return 0, &claimError{fmt.Sprintf("%s is a share: write it with %%, got %q", m.name, s), "e.g. " + example(m)}
		}
		if v > 100 {
			return 0, &claimError{fmt.Sprintf("a share is at most 100%%, got %q", s), ""}
		}
		return v / 100, nil
	default:
		if unit != "" {
			return 0, &claimError{fmt.Sprintf("%s counts units: write a bare number, got %q", m.name, s), "e.g. " + example(m)}
		}
		return v, nil
	}
}

// example is a claim about m that reads well.
func example(m measure) string {
	switch m.kind {
	case kindLatency:
		return m.name + `: "< 200ms"`
	case kindRate:
		return m.name + `: "> 100/s" or "> 1.5x step 2"`
	case kindFraction:
		return m.name + `: "< 1%"`
	}
	return m.name + `: "> 0"`
}

// holds reports whether value v meets the claim, given ref, the value
// of the step a relative claim compares with.
func (c Claim) holds(v, ref float64) bool {
	bound := c.bound(ref)
	if math.IsNaN(v) || math.IsNaN(bound) {
		return false
	}
	switch c.Op {
	case "<":
		return v < bound
	case "<=":
		return v <= bound
	case ">":
		return v > bound
	case ">=":
		return v >= bound
	case "==":
		return v == bound
	}
	return false
}

// bound is the value the claim compares with: Value, or Value times ref
// for a relative claim.
func (c Claim) bound(ref float64) float64 {
	if c.Rel >= 0 {
		return c.Value * ref
	}
	return c.Value
}

// format writes v, a value of measure name, in its units.
func format(name string, v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	m, _ := measureOf(name)
	switch m.kind {
	case kindLatency:
		switch {
		case v >= 1000:
			return strconv.FormatFloat(v/1000, 'f', 2, 64) + "s"
		case v >= 10:
			return strconv.FormatFloat(v, 'f', 0, 64) + "ms"
		}
		return strconv.FormatFloat(v, 'f', 1, 64) + "ms"
	case kindRate:
		if v >= 100 {
			return strconv.FormatFloat(v, 'f', 0, 64) + "/s"
		}
		return strconv.FormatFloat(v, 'f', 1, 64) + "/s"
	case kindFraction:
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}
