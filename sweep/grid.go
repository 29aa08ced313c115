// Package sweep runs a topology many times: over a grid of field values
// (sweep), sharded into fixed interleaved parts that separate processes
// or batch jobs can run, and in a search for the smallest value of a
// field, or the highest rate, that meets a service-level objective
// (find). Every run is a whole simulation of its own; runs of one point
// share their seeds with every other point, so that the per-request
// random numbers make points differ by their configuration and not by
// luck.
//
// It is one package because the search is a sweep whose next point
// depends on the last: the grid, the runs, the statistics over seeds and
// the objective are shared. It knows the simulator and topology files,
// and nothing of flags or terminals.
package sweep

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"scalesim/topology"
)

// Axis is one field of the grid and its values, as YAML text.
type Axis struct {
	Path   string
	Values []string
}

// maxPoints bounds a grid, so that a typo (1..1e9) is refused rather
// than run for a year.
const maxPoints = 1_000_000

// ParseSet reads one PATH=VALUES argument: VALUES is a list joined by
// commas (1,2,4 or exp(10ms),exp(20ms)), a range of whole numbers
// A..B, or a range with a step A..B:STEP (100..3000:100, 0.5..2:0.25).
func ParseSet(arg string) (Axis, error) {
	path, vals, ok := strings.Cut(arg, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return Axis{}, &topology.Error{File: "--set " + strconv.Quote(arg), Msg: "expected PATH=VALUES",
			Hint: "for example app.workers=1..16, workload.rate=100..3000:100 or app.model=sync,threads"}
	}
	ax := Axis{Path: path}
	for _, part := range splitTop(vals) {
		part = strings.TrimSpace(part)
		where := "--set " + strconv.Quote(arg)
		if part == "" {
			return Axis{}, &topology.Error{File: where, Path: path, Msg: "an empty value",
				Hint: "join values with single commas: 1,2,4"}
		}
		if strings.Contains(part, "..") && !strings.ContainsAny(part, "()[]{}") {
			r, err := expand(part)
			if err != nil {
				return Axis{}, &topology.Error{File: where, Path: path, Msg: fmt.Sprintf("range %q: %s", part, err.msg), Hint: err.hint}
			}
			ax.Values = append(ax.Values, r...)
			continue
		}
		ax.Values = append(ax.Values, part)
	}
	if len(ax.Values) > maxPoints {
		return Axis{}, &topology.Error{File: "--set " + strconv.Quote(arg), Path: path,
			Msg: fmt.Sprintf("%d values; at most %d", len(ax.Values), maxPoints), Hint: "use a larger step"}
	}
	return ax, nil
}

// splitTop splits s at the commas outside brackets, so that
// uniform(1ms, 2ms) stays one value.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

type rangeErr struct{ msg, hint string }

const rangeHint = "write A..B for whole numbers, or A..B:STEP, such as 100..3000:100"

// expand lists the values of the range A..B[:STEP].
func expand(s string) ([]string, *rangeErr) {
	lohi, stepText, hasStep := strings.Cut(s, ":")
	loText, hiText, _ := strings.Cut(lohi, "..")
	num := func(what, t string) (float64, *rangeErr) {
		if strings.TrimSpace(t) == "" {
			return 0, &rangeErr{"needs " + what, rangeHint}
		}
		v, err := topology.ParseNumber(t)
		if err != nil {
			return 0, &rangeErr{fmt.Sprintf("%s %q is not a number", what, t), rangeHint + "; lists take any values: exp(10ms),exp(20ms)"}
		}
		return v, nil
	}
	lo, e := num("a start", loText)
	if e != nil {
		return nil, e
	}
	hi, e := num("an end", hiText)
	if e != nil {
		return nil, e
	}
	step := 1.0
	if hasStep {
		if step, e = num("a step", stepText); e != nil {
			return nil, e
		}
		if !(step > 0) {
			return nil, &rangeErr{"the step must be positive", rangeHint}
		}
	} else if lo != math.Trunc(lo) || hi != math.Trunc(hi) {
		return nil, &rangeErr{"a range without a step is of whole numbers", "add a step: " + lohi + ":0.5"}
	}
	if hi < lo {
		return nil, &rangeErr{"the end is below the start", fmt.Sprintf("write %s..%s", trimNum(hiText), trimNum(loText))}
	}
	n := math.Floor((hi-lo)/step*(1+1e-12)) + 1
	if n > maxPoints {
		return nil, &rangeErr{fmt.Sprintf("%s values; at most %d", countText(n), maxPoints), "use a larger step"}
	}
	dec := max(decimals(loText), decimals(stepText))
	out := make([]string, 0, int(n))
	for i := 0; i < int(n); i++ {
		v := lo + float64(i)*step
		if math.Abs(v) >= 1e15 {
			// beyond the digits a float holds: its shortest form, not
			// hundreds of digits of noise
			out = append(out, strconv.FormatFloat(v, 'g', -1, 64))
			continue
		}
		out = append(out, strconv.FormatFloat(v, 'f', dec, 64))
	}
	return out, nil
}

func trimNum(s string) string { return strings.TrimSpace(s) }

// decimals is how many digits after the point the number s needs:
// those written after its point, less its exponent's (1e-3 needs 3,
// 2.5e0 one, 1.5e3 none).
func decimals(s string) int {
	s = strings.ToLower(strings.TrimSpace(s))
	mant, exp := s, 0
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		mant = s[:i]
		exp, _ = strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
	}
	d := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		d = len(mant) - i - 1
	}
	return min(max(d-exp, 0), 20)
}

// Grid is the product of its axes; the last axis varies fastest.
type Grid struct {
	Axes []Axis
}

// Len is the number of points.
func (g Grid) Len() int {
	n := 1
	for _, a := range g.Axes {
		n *= len(a.Values)
	}
	return n
}

// Point is one combination of the axes' values.
type Point struct {
	Index   int
	Values  []string // one per axis
	Changes []topology.Change
}

// Point returns point i (0 ≤ i < Len).
func (g Grid) Point(i int) Point {
	p := Point{Index: i, Values: make([]string, len(g.Axes))}
	for k := len(g.Axes) - 1; k >= 0; k-- {
		a := g.Axes[k]
		p.Values[k] = a.Values[i%len(a.Values)]
		i /= len(a.Values)
	}
	for k, a := range g.Axes {
		p.Changes = append(p.Changes, topology.Change{Action: topology.ActSet, Path: a.Path, Value: p.Values[k]})
	}
	return p
}

// Check refuses a grid whose size is beyond maxPoints, and each value
// that the topology refuses, with the topology's own message (the path
// and a hint).
func (g Grid) Check(t *topology.Topology) error {
	n := 1
	for _, a := range g.Axes {
		n *= len(a.Values)
		if n > maxPoints {
			return &topology.Error{File: "--set", Msg: fmt.Sprintf("the grid has more than %d points", maxPoints), Hint: "sweep fewer values, or split the sweep"}
		}
	}
	seen := map[string]bool{}
	for _, a := range g.Axes {
		if seen[a.Path] {
			return &topology.Error{File: "--set", Path: a.Path, Msg: "set twice", Hint: "give all its values in one --set: " + a.Path + "=1,2,4"}
		}
		seen[a.Path] = true
		for _, v := range a.Values {
			if _, err := t.With(topology.Change{Action: topology.ActSet, Path: a.Path, Value: v}); err != nil {
				return fmt.Errorf("--set: %w", err)
			}
		}
	}
	return nil
}

// countText writes a count of values in full, or, past what anyone
// reads digit by digit (1..1e308:1), in three significant figures.
func countText(n float64) string {
	if n < 1e15 {
		return strconv.FormatFloat(n, 'f', 0, 64)
	}
	return strconv.FormatFloat(n, 'g', 3, 64)
}
