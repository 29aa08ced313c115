package compare

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"scalesim/sweep"
	"scalesim/termsafe"
	"scalesim/topology"
)

// Side names one design of a comparison for a reader.
type Side struct {
	// Source is the file or preset it came from.
	Source string `json:"source"`
	// Name is the topology's own name.
	Name string `json:"name"`
	// Changes are the PATH=VALUE changes made to the source, if any.
	Changes []string `json:"changes,omitempty"`
}

// Report is a comparison with what a reader needs to know of it.
type Report struct {
	A, B             Side
	Warmup, Duration time.Duration
	*Result
}

// Verdict says in a word what a row's difference means: "same" when
// every seed gave the same value, "B better" or "B worse" when the
// interval leaves out zero, "not significant" otherwise, and "one seed"
// when there is no interval to tell.
func (r Row) Verdict() string {
	switch {
	case r.Diff.Mean == 0 && (r.Diff.Half == 0 || r.Diff.N == 1):
		return "same"
	case r.Diff.N < 2:
		return "one seed"
	case !r.Significant():
		return "not significant"
	case r.Better():
		return "B better"
	}
	return "B worse"
}

// WriteText writes the comparison as a table of at most 80 columns.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	name := func(s Side) string {
		n := termsafe.Line(s.Source)
		if s.Name != "" && s.Name != s.Source {
			n += ": " + termsafe.Line(s.Name)
		}
		return n
	}
	fmt.Fprintf(&b, "A  %s\n", name(r.A))
	changes := termsafe.Line(strings.Join(r.B.Changes, ", "))
	switch {
	case len(r.B.Changes) > 0 && r.B.Source == r.A.Source:
		fmt.Fprintf(&b, "B  A with %s\n", changes)
	case len(r.B.Changes) > 0:
		fmt.Fprintf(&b, "B  %s\n   with %s\n", name(r.B), changes)
	default:
		fmt.Fprintf(&b, "B  %s\n", name(r.B))
	}
	n := len(r.Seeds)
	seeds := fmt.Sprintf("seed %d", r.Seeds[0])
	if n > 1 {
		seeds = fmt.Sprintf("%d seeds, %d to %d", n, r.Seeds[0], r.Seeds[n-1])
	}
	traffic := "the same traffic for both"
	if !r.SameWorkload {
		traffic = "the same seeds; the workloads differ"
	}
	fmt.Fprintf(&b, "%s; each run %s warm-up, %s measured; %s\n",
		seeds, topology.FormatDuration(r.Warmup), topology.FormatDuration(r.Duration), traffic)
	if n > 1 {
		fmt.Fprintf(&b, "B−A paired by seed: mean ± 95%% confidence interval (Student's t)\n\n")
	} else {
		fmt.Fprintf(&b, "B−A of one seed: give --seeds 2 or more for confidence intervals\n\n")
	}
	rows := [][]string{{"", "A", "B", "B−A", "95% CI", ""}}
	for _, row := range r.Rows {
		s := row.Scale
		diff, ci := signed(row.Diff.Mean*s), ""
		if row.Diff.N >= 2 && !math.IsInf(row.Diff.Half, 0) {
			ci = "± " + num(row.Diff.Half*s) + row.Unit
		} else {
			diff += row.Unit
		}
		rows = append(rows, []string{row.Label, num(row.A.Mean*s) + row.Unit, num(row.B.Mean*s) + row.Unit,
			diff, ci, row.Verdict()})
	}
	writeColumns(&b, rows, []bool{false, true, true, true, false, false})
	_, err := io.WriteString(w, b.String())
	return err
}

// writeColumns writes rows as columns two spaces apart, right-aligned
// where right says so, without trailing spaces.
func writeColumns(b *strings.Builder, rows [][]string, right []bool) {
	widths := make([]int, len(right))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			if right[i] {
				line.WriteString(pad + c)
			} else {
				line.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// num writes x with four significant digits, no exponent, no trailing
// zeros after the point: 299.9, 13.24, 0.5, 12345.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	if x == 0 {
		return "0"
	}
	dec := max(0, 3-int(math.Floor(math.Log10(math.Abs(x)))))
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// signed is num with a + on a positive difference.
func signed(x float64) string {
	s := num(x)
	if x > 0 && s != "0" {
		return "+" + s
	}
	return s
}

// WriteJSON writes the comparison as one JSON object: the sides, the
// seeds, a row per figure (means, intervals' half-widths, null where
// there is no interval), and every run's figures.
func (r *Report) WriteJSON(w io.Writer) error {
	type iv struct {
		Mean float64  `json:"mean"`
		CI95 *float64 `json:"ci95"`
	}
	type diff struct {
		iv
		Lo *float64 `json:"lo"`
		Hi *float64 `json:"hi"`
	}
	type row struct {
		Name        string `json:"name"`
		A           iv     `json:"a"`
		B           iv     `json:"b"`
		Diff        diff   `json:"b_minus_a"`
		Significant bool   `json:"significant"`
		Verdict     string `json:"verdict"`
	}
	type run struct {
		Seed uint64             `json:"seed"`
		A    map[string]float64 `json:"a"`
		B    map[string]float64 `json:"b"`
	}
	finite := func(x float64) *float64 {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil
		}
		return &x
	}
	of := func(c sweep.Interval) iv { return iv{Mean: c.Mean, CI95: finite(c.Half)} }
	out := struct {
		A          Side     `json:"a"`
		B          Side     `json:"b"`
		Seeds      []uint64 `json:"seeds"`
		WarmupS    float64  `json:"warmup_s"`
		DurationS  float64  `json:"duration_s"`
		Confidence float64  `json:"confidence"`
		Same       bool     `json:"same_workload"`
		Figures    []row    `json:"figures"`
		Runs       []run    `json:"runs"`
	}{A: r.A, B: r.B, Seeds: r.Seeds, WarmupS: r.Warmup.Seconds(), DurationS: r.Duration.Seconds(), Confidence: sweep.Confidence, Same: r.SameWorkload}
	for _, x := range r.Rows {
		out.Figures = append(out.Figures, row{Name: x.Name, A: of(x.A), B: of(x.B),
			Diff:        diff{iv: of(x.Diff), Lo: finite(x.Diff.Lo()), Hi: finite(x.Diff.Hi())},
			Significant: x.Significant(), Verdict: x.Verdict()})
	}
	for k, seed := range r.Seeds {
		rr := run{Seed: seed, A: map[string]float64{}, B: map[string]float64{}}
		for _, x := range r.Rows {
			rr.A[x.Name], rr.B[x.Name] = x.Value(&r.Result.A[k]), x.Value(&r.Result.B[k])
		}
		out.Runs = append(out.Runs, rr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
