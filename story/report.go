package story

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report: a line per claim with its value on each
// seed, a line of the same values with the step's changes withheld
// ("without the step"), and a last line that sums up. The same report gives the same bytes.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	st := r.Story
	fmt.Fprintf(&b, "%s\n%s, %s; seeds %s\n", st.Title, st.File, plural(len(st.Steps), "step"), seedRange(r.Seeds))
	claims, failed := 0, 0
	for _, sr := range r.Steps {
		fmt.Fprintf(&b, "\nstep %d: %s\n", sr.Step+1, st.Steps[sr.Step].Caption)
		for i := range sr.Claims {
			c := &sr.Claims[i]
			claims++
			mark := "ok  "
			if !c.Passed() || !c.Depends() {
				mark = "FAIL"
				failed++
			}
			fmt.Fprintf(&b, "  %s %s: %s\n", mark, c.Claim.Text, values(c.Claim.Measure, c.Values))
			if c.Claim.Rel >= 0 {
				fmt.Fprintf(&b, "       step %d: %s\n", c.Claim.Rel+1, values(c.Claim.Measure, c.Refs))
			}
			if !c.Passed() {
				fmt.Fprintf(&b, "       holds on %d of %d seeds\n", c.Holds, len(c.Values))
			}
			switch {
			case c.NoChanges:
				fmt.Fprintf(&b, "       the step has no changes, so the claim cannot depend on it: put it on the step that causes it\n")
			case c.Depends():
				fmt.Fprintf(&b, "       without the step: %s, fails on every seed\n", values(c.Claim.Measure, c.Withheld))
			default:
				fmt.Fprintf(&b, "       without the step: %s, HOLDS on %d of %d seeds\n", values(c.Claim.Measure, c.Withheld), c.HoldsWithheld, len(c.Withheld))
			}
		}
	}
	b.WriteByte('\n')
	switch {
	case claims == 0:
		b.WriteString("no claims to check\n")
	case failed == 0:
		fmt.Fprintf(&b, "all %d claims hold on every seed and fail without their step's changes\n", claims)
	default:
		fmt.Fprintf(&b, "%d of %d claims failed:\n", failed, claims)
		for _, f := range r.Failures() {
			b.WriteString("  " + f + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Claims is how many claims the report checked.
func (r *Report) Claims() int {
	n := 0
	for _, s := range r.Steps {
		n += len(s.Claims)
	}
	return n
}

// Failed is how many claims failed: did not hold on every seed, or held
// without their step's changes.
func (r *Report) Failed() int {
	n := 0
	for _, s := range r.Steps {
		for i := range s.Claims {
			if c := &s.Claims[i]; !c.Passed() || !c.Depends() {
				n++
			}
		}
	}
	return n
}

// Failures say, one line each, which claims failed and how: "step 3
// (More workers) claims p99 < 200ms: it fails on 2 of 5 seeds", "step 4
// (...) claims X but it holds without the step's changes".
func (r *Report) Failures() []string {
	var out []string
	for _, sr := range r.Steps {
		head := fmt.Sprintf("step %d (%s) claims ", sr.Step+1, r.Story.Steps[sr.Step].Caption)
		for i := range sr.Claims {
			c := &sr.Claims[i]
			h := head + c.Claim.Text
			if !c.Passed() {
				out = append(out, fmt.Sprintf("%s: it fails on %d of %d seeds (%s)", h, len(c.Values)-c.Holds, len(c.Values), values(c.Claim.Measure, c.Values)))
			}
			switch {
			case c.NoChanges:
				out = append(out, h+" but the step has no changes it could depend on")
			case !c.Depends():
				out = append(out, fmt.Sprintf("%s but it holds without the step's changes on %d of %d seeds (%s)", h, c.HoldsWithheld, len(c.Withheld), values(c.Claim.Measure, c.Withheld)))
			}
		}
	}
	return out
}

// values are a measure's values per seed.
func values(measure string, vs []float64) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = format(measure, v)
	}
	return strings.Join(parts, " ")
}

// seedRange writes seeds compactly: "1-5" when consecutive.
func seedRange(seeds []uint64) string {
	consecutive := true
	for i := 1; i < len(seeds); i++ {
		if seeds[i] != seeds[i-1]+1 {
			consecutive = false
		}
	}
	if consecutive && len(seeds) > 1 {
		return fmt.Sprintf("%d-%d", seeds[0], seeds[len(seeds)-1])
	}
	parts := make([]string, len(seeds))
	for i, s := range seeds {
		parts[i] = fmt.Sprint(s)
	}
	return strings.Join(parts, ",")
}

// plural is "1 step", "3 steps".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
