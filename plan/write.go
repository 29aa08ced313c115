package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"scalesim/numfmt"
	"scalesim/termsafe"
)

// Write writes p as text, in 80 columns.
func (p *Plan) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "plan of %s\n", termsafe.Line(p.Name))
	fmt.Fprintf(&b, "from the operational laws, without simulating: means and ceilings, no tails\n\n")
	load := "rate " + rps(p.RateRPS)
	if p.Closed {
		load = fmt.Sprintf("%d users, at most %s", p.Users, rps(p.RateRPS))
	}
	fmt.Fprintf(&b, "load        %s\n", load)
	fmt.Fprintf(&b, "ceiling     %s, set by %s\n", rps(p.MaxRPS), p.Bottleneck)
	fmt.Fprintf(&b, "response    %.1f ms with no queueing\n", p.ResponseMs)
	if p.HitRatio > 0 {
		fmt.Fprintf(&b, "cache hits  %.1f%%\n", 100*p.HitRatio)
	}
	fmt.Fprintf(&b, "\n%-8s %8s %7s %10s %8s %13s\n", "station", "servers", "visits", "demand ms", "util", "saturates at")
	for _, s := range p.Stations {
		servers := fmt.Sprint(s.Servers)
		if s.Usable != s.Servers {
			servers = fmt.Sprintf("%d/%d", s.Usable, s.Servers)
		}
		mark := " "
		if s.Name == p.Bottleneck {
			mark = "*"
		}
		line := fmt.Sprintf("%-8s %8s %7.2f %10.3f %7.1f%% %12s%s", s.Name, servers, s.Visits, s.DemandMs,
			100*s.Utilization, rps(s.MaxRPS), mark)
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	fmt.Fprintf(&b, "servers a/b: a can work at once of the b counted (a GIL, one thread per\n")
	fmt.Fprintf(&b, "worker); * the bottleneck. app: worker slots, held for the whole request.\n")
	if len(p.Lifts) > 0 {
		fmt.Fprintf(&b, "\nwhat lifts the ceiling most, one change at a time:\n")
		for i, l := range p.Lifts {
			if i == 5 {
				break
			}
			fmt.Fprintf(&b, "  %-22s %12s  (then %s binds)\n", l.Change, rps(l.MaxRPS), l.Bottleneck)
		}
	}
	if p.RateRPS >= p.MaxRPS && !p.Closed {
		fmt.Fprintf(&b, "\nto carry %s, one field alone:\n", rps(p.RateRPS))
		if len(p.Needs) == 0 {
			fmt.Fprintf(&b, "  no field alone: change several (plan --set PATH=VALUE to try)\n")
		}
		for _, l := range p.Needs {
			fmt.Fprintf(&b, "  %-22s %12s  (then %s binds)\n", l.Change, rps(l.MaxRPS), l.Bottleneck)
		}
	}
	fmt.Fprintf(&b, "\nwhere a simulation will differ:\n")
	for _, c := range p.Caveats {
		b.WriteString(wrap(c, "  - ", "    ", 80))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes p as one JSON document.
func (p *Plan) WriteJSON(w io.Writer) error {
	q := *p
	if math.IsInf(q.MaxRPS, 1) {
		q.MaxRPS = 0
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(q)
}

func rps(x float64) string {
	if math.IsInf(x, 1) {
		return "unbounded"
	}
	if x >= 100 {
		return numfmt.Thousands(uint64(math.Round(x))) + "/s"
	}
	return fmt.Sprintf("%.1f/s", x)
}

// wrap breaks s into lines of at most width, the first after first, the
// others after rest.
func wrap(s, first, rest string, width int) string {
	var b strings.Builder
	line := first
	for _, word := range strings.Fields(s) {
		if len(line)+1+len(word) > width && strings.TrimSpace(line) != strings.TrimSpace(first) {
			b.WriteString(line + "\n")
			line = rest
		}
		if line != first && line != rest {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
	return b.String()
}
