package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"scalesim/numfmt"
	"scalesim/termsafe"
	"scalesim/topology"
)

// Write writes p as text, in 80 columns.
func (p *Plan) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "plan of %s\n", termsafe.Line(p.Name))
	fmt.Fprintf(&b, "from the operational laws, without simulating: means and ceilings, no tails\n\n")
	load := "rate " + rps(p.RateRPS)
	switch {
	case len(p.Populations) > 0:
		load = fmt.Sprintf("%d users in %d populations, at most %s", p.Users, len(p.Populations), rps(p.RateRPS))
	case p.Closed:
		load = fmt.Sprintf("%d users, at most %s", p.Users, rps(p.RateRPS))
	}
	fmt.Fprintf(&b, "load        %s\n", load)
	if p.Bottleneck == "" {
		fmt.Fprintf(&b, "ceiling     unbounded: the requests take no time\n")
	} else {
		fmt.Fprintf(&b, "ceiling     %s, set by %s\n", rps(p.MaxRPS), p.Bottleneck)
	}
	fmt.Fprintf(&b, "response    %.1f ms with no queueing\n", p.ResponseMs)
	if p.HitRatio > 0 {
		fmt.Fprintf(&b, "cache hits  %.1f%%\n", 100*p.HitRatio)
	}
	writePopulations(&b, p.Populations)
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

// WriteJSON writes p as one JSON document; an unbounded figure (of
// requests that take no time) is written 0.
func (p *Plan) WriteJSON(w io.Writer) error {
	q := *p
	if math.IsInf(q.MaxRPS, 1) {
		q.MaxRPS = 0
	}
	if math.IsInf(q.RateRPS, 1) {
		q.RateRPS = 0
	}
	// JSON cannot say +Inf: an unbounded figure is written 0
	q.Stations = slices.Clone(p.Stations)
	for i := range q.Stations {
		if r := &q.Stations[i]; math.IsInf(r.MaxRPS, 1) {
			r.MaxRPS = 0
		}
	}
	q.Populations = slices.Clone(p.Populations)
	for i := range q.Populations {
		r := &q.Populations[i]
		if math.IsInf(r.AloneRPS, 1) {
			r.AloneRPS = 0
		}
		if math.IsInf(r.BoundRPS, 1) {
			r.BoundRPS = 0
		}
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

// writePopulations writes each population's bounds, when there are
// several.
func writePopulations(b *strings.Builder, ps []Population) {
	if len(ps) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%-12s %6s %7s %10s %10s %15s\n", "population", "users", "think", "R0 ms", "at most", "alone")
	for _, q := range ps {
		think := topology.FormatDuration(time.Duration(math.Round(q.ThinkMs*1e3)) * time.Microsecond)
		alone := rps(q.AloneRPS)
		if q.AloneBottleneck != "" {
			alone += " (" + q.AloneBottleneck + ")"
		}
		name := q.Name
		if len(name) > 12 {
			name = name[:11] + "…"
		}
		fmt.Fprintf(b, "%-12s %6d %7s %10.3f %10s %15s\n", termsafe.Line(name), q.Users, think, q.ResponseMs, rps(q.BoundRPS), alone)
	}
	fmt.Fprintf(b, "at most: N/(R0+Z), or its ceiling alone (with the stations to itself)\n")
}
