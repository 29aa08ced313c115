package sweep

import (
	"fmt"
	"strconv"
	"strings"

	"scalesim/topology"
)

// Term is one term of an objective: a figure of a run below a limit.
type Term struct {
	Figure string  // as Figures names it: p99_ms, errors
	Limit  float64 // in the figure's unit: ms, or a fraction
	Text   string  // as written: p99<200ms
}

// Latency reports whether the term is on latency (in ms).
func (t Term) Latency() bool { return strings.HasSuffix(t.Figure, "_ms") }

// SLO is a service-level objective: every term must hold.
type SLO []Term

var sloLatency = []string{"mean", "p50", "p95", "p99"}

const sloHint = "terms: mean, p50, p95, p99 below a duration (p99<200ms), errors or drops below a fraction or a percentage (errors<0.1%), joined by commas"

// ParseSLO reads terms joined by commas: mean, p50, p95 or p99 below a
// duration (p99<200ms), errors or drops below a fraction (0.001) or a
// percentage (0.1%).
func ParseSLO(s string) (SLO, error) {
	var out SLO
	bad := func(term, format string, args ...any) error {
		return &topology.Error{File: "--slo " + strconv.Quote(s), Msg: fmt.Sprintf("%q: ", term) + fmt.Sprintf(format, args...), Hint: sloHint}
	}
	for _, raw := range strings.Split(s, ",") {
		term := strings.TrimSpace(raw)
		if term == "" {
			return nil, bad(term, "an empty term")
		}
		name, lim, ok := strings.Cut(term, "<")
		name, lim = strings.TrimSpace(name), strings.TrimSpace(strings.TrimPrefix(lim, "="))
		if !ok {
			return nil, bad(term, "expected NAME<LIMIT")
		}
		for _, t := range out {
			if n, _, _ := strings.Cut(t.Text, "<"); strings.TrimSpace(n) == name {
				return nil, bad(term, "%s is limited twice (%s before); give the limit once", name, t.Text)
			}
		}
		switch {
		case contains(sloLatency, name):
			d, err := topology.ParseDuration(lim)
			if err != nil || d <= 0 {
				return nil, bad(term, "%s takes a positive duration such as 200ms", name)
			}
			out = append(out, Term{Figure: name + "_ms", Limit: float64(d) / 1e6, Text: term})
		case name == "errors" || name == "drops":
			v, pct := lim, strings.HasSuffix(lim, "%")
			v = strings.TrimSuffix(v, "%")
			f, err := topology.ParseNumber(v)
			if pct {
				f /= 100
			}
			if err != nil || !(f > 0) || f > 1 {
				return nil, bad(term, "%s takes a fraction above 0 and at most 1 (0.001) or a percentage (0.1%%)", name)
			}
			out = append(out, Term{Figure: name, Limit: f, Text: term})
		default:
			msg := fmt.Sprintf("no figure %q", name)
			if m := topology.Suggest(name, append(append([]string{}, sloLatency...), "errors", "drops")); m != "" {
				msg += fmt.Sprintf("; did you mean %q?", m)
			}
			return nil, bad(term, "%s", msg)
		}
	}
	return out, nil
}

// String is the objective as written, normalised.
func (o SLO) String() string {
	parts := make([]string, len(o))
	for i, t := range o {
		parts[i] = t.Text
	}
	return strings.Join(parts, ",")
}

// latencyLimit is the largest latency limit in ms, 0 without one.
func (o SLO) latencyLimit() float64 {
	l := 0.0
	for _, t := range o {
		if t.Latency() {
			l = max(l, t.Limit)
		}
	}
	return l
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
