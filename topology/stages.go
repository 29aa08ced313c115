package topology

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Load shapes. A workload's stages, in the style of k6's
// ramping-arrival-rate executor, move its load over time: each stage
// lasts Duration (its own length, not a time since the start) and moves
// the load linearly from the previous stage's target, or from the
// workload's rate (users for a closed workload) for the first, to its
// Target. After the last stage the load holds the last target. A stage
// of duration 0 jumps to its target. Stages count from the start of the
// run, whenever they are set.
//
// Shorthands compile to stages when the file is read (and Marshal writes
// the stages): spike, staircase and diurnal, each starting from the
// workload's rate or users:
//
//	spike:     {at: 60s, to: 5000, for: 30s, ramp: 5s}  hold, ramp up, hold, ramp back
//	staircase: {to: 2000, count: 5, every: 30s}         equal steps up (or down) to `to`
//	diurnal:   {period: 10m, peak: 1000, cycles: 3}     a cosine from rate to peak and back

// Stage is one stretch of a load shape.
type Stage struct {
	Duration time.Duration
	// Target is the rate (requests per second) or, for a closed
	// workload, the number of users at the stage's end.
	Target float64
}

// Limits of load shapes.
const (
	// MaxStages is the most stages a workload may have.
	MaxStages = 1000
	// maxShapeSpan is the longest a load shape may last in all.
	maxShapeSpan = 366 * 24 * time.Hour
	// diurnalPoints is how many linear stages a diurnal cycle is drawn
	// with: through 12 points of the cosine, within 3.5% of its swing.
	diurnalPoints = 12
)

var (
	shapeKeys     = []string{"stages", "spike", "staircase", "diurnal"}
	stageKeys     = []string{"duration", "target"}
	spikeKeys     = []string{"at", "to", "for", "ramp"}
	staircaseKeys = []string{"to", "count", "every"}
	diurnalKeys   = []string{"period", "peak", "cycles"}
)

// StageTimes returns the times, from the start of the run, at which each
// stage ends: the boundaries of the shape's phases. It is empty for a
// constant load.
func (w Workload) StageTimes() []time.Duration {
	out := make([]time.Duration, 0, len(w.Stages))
	var at time.Duration
	for _, st := range w.Stages {
		at += st.Duration
		out = append(out, at)
	}
	return out
}

// Start is the load the shape starts from: the rate, or the users of a
// closed workload.
func (w Workload) Start() float64 {
	if w.Users != 0 {
		return float64(w.Users)
	}
	return w.Rate
}

// LoadAt returns the load the shape asks for at time t from the start of
// the run: a rate, or a number of users (not rounded) for a closed
// workload.
func (w Workload) LoadAt(t time.Duration) float64 {
	cur := w.Start()
	var at time.Duration
	for _, st := range w.Stages {
		if t < at+st.Duration {
			f := float64(t-at) / float64(st.Duration)
			return cur + (st.Target-cur)*f
		}
		at += st.Duration
		cur = st.Target
	}
	return cur
}

// Peak is the highest load the shape asks for.
func (w Workload) Peak() float64 {
	p := w.Start()
	for _, st := range w.Stages {
		p = math.Max(p, st.Target)
	}
	return p
}

// Scale multiplies the whole shape, its start and every target, by f:
// what the + and - keys do to a shaped workload. Users are rounded, and
// stay at least 1.
func (w *Workload) Scale(f float64) {
	if w.Users != 0 {
		w.Users = max(1, int(math.Round(float64(w.Users)*f)))
		for i := range w.Stages {
			w.Stages[i].Target = math.Round(w.Stages[i].Target * f)
		}
		return
	}
	w.Rate *= f
	for i := range w.Stages {
		w.Stages[i].Target *= f
	}
}

// shape reads the workload's stages or one of their shorthands.
func (p *parser) shape(s section, w *Workload) {
	var given []string
	for _, k := range shapeKeys {
		if _, ok := s.get(k); ok {
			given = append(given, k)
		}
	}
	if len(given) == 0 {
		return
	}
	if len(given) > 1 {
		p.fail(s.fields[given[1]].key, s.sub(given[1]), "keep one of them", "%s and %s both shape the load", given[0], given[1])
		return
	}
	k := given[0]
	e := s.fields[k]
	path := s.sub(k)
	// errors found later on the stages point at what the file wrote
	p.record("workload.stages", e.key, e.val)
	start := w.Rate
	unit := "requests per second"
	if w.Users != 0 {
		start, unit = float64(w.Users), "users"
	}
	switch k {
	case "stages":
		w.Stages = p.stages(e, path)
	case "spike":
		w.Stages = p.spike(e, path, start)
	case "staircase":
		w.Stages = p.staircase(e, path, start)
	case "diurnal":
		w.Stages = p.diurnal(e, path, start, unit)
	}
}

// stages reads a list of {duration, target}.
func (p *parser) stages(e entry, path string) []Stage {
	v := resolve(e.val)
	if isNull(v) || v.Kind != yaml.SequenceNode {
		at := e.val
		if isNull(v) {
			at = e.key
		}
		p.fail(at, path, "e.g. stages: [{duration: 30s, target: 500}, {duration: 1m, target: 500}]", "expected a list of stages, got %s", describe(v))
		return nil
	}
	if len(v.Content) > MaxStages {
		p.fail(e.key, path, "merge stages, or use fewer cycles", "%d stages; at most %d are allowed", len(v.Content), MaxStages)
		return nil
	}
	out := make([]Stage, 0, len(v.Content))
	for i, item := range v.Content {
		ip := indexPath(path, i)
		p.record(ip, nil, item)
		s, ok := p.section(item, ip, stageKeys, "a stage is a mapping like {duration: 30s, target: 500}")
		if !ok {
			continue
		}
		var st Stage
		_, hasD := s.get("duration")
		_, hasT := s.get("target")
		switch {
		case !hasD:
			p.fail(item, ip, "a stage says how long it lasts, e.g. duration: 30s (0 jumps at once)", "missing duration")
		case !hasT:
			p.fail(item, ip, "a stage says the load it ends at, e.g. target: 500", "missing target")
		}
		s.duration("duration", &st.Duration)
		s.number("target", &st.Target)
		out = append(out, st)
	}
	return out
}

// required reports, for each key of keys the section lacks, a missing
// value with its hint; it returns whether all are there.
func (p *parser) required(s section, at *yaml.Node, hints map[string]string, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if _, given := s.get(k); !given {
			p.fail(at, s.sub(k), hints[k], "missing %s", k)
			ok = false
		}
	}
	return ok
}

// spike: hold the start until at, ramp to `to` over ramp, hold it for
// `for`, ramp back over ramp, then hold the start.
func (p *parser) spike(e entry, path string, start float64) []Stage {
	s, ok := p.section(e.val, path, spikeKeys, "e.g. spike: {at: 60s, to: 5000, for: 30s, ramp: 5s}")
	if !ok {
		return nil
	}
	hints := map[string]string{
		"at":  "at is when the spike begins, e.g. at: 60s",
		"to":  "to is the load at the top of the spike, e.g. to: 5000",
		"for": "for is how long the top lasts, e.g. for: 30s",
	}
	if !p.required(s, e.key, hints, "at", "to", "for") {
		return nil
	}
	var at, hold, ramp time.Duration
	var to float64
	s.duration("at", &at)
	s.number("to", &to)
	s.duration("for", &hold)
	s.duration("ramp", &ramp)
	bad := false
	for _, d := range []struct {
		key string
		d   time.Duration
	}{{"at", at}, {"for", hold}, {"ramp", ramp}} {
		if d.d < 0 {
			p.fail(s.fields[d.key].val, s.sub(d.key), "", "must not be negative, got %s", FormatDuration(d.d))
			bad = true
		}
	}
	if bad || at > maxShapeSpan || hold > maxShapeSpan || ramp > maxShapeSpan {
		return nil
	}
	return []Stage{
		{Duration: at, Target: start},
		{Duration: ramp, Target: to},
		{Duration: hold, Target: to},
		{Duration: ramp, Target: start},
	}
}

// staircase: count equal steps from the start to `to`, each held for
// every; the first step comes after the first every.
func (p *parser) staircase(e entry, path string, start float64) []Stage {
	s, ok := p.section(e.val, path, staircaseKeys, "e.g. staircase: {to: 2000, count: 5, every: 30s}")
	if !ok {
		return nil
	}
	hints := map[string]string{
		"to":    "to is the load of the last step, e.g. to: 2000",
		"count": "count is how many steps lead there, e.g. count: 5",
		"every": "every is how long each level holds, e.g. every: 30s",
	}
	if !p.required(s, e.key, hints, "to", "count", "every") {
		return nil
	}
	var to float64
	var count int
	var every time.Duration
	s.number("to", &to)
	okCount := s.integer("count", &count)
	s.duration("every", &every)
	switch {
	case okCount && (count < 1 || count > MaxStages/2):
		p.fail(s.fields["count"].val, s.sub("count"), "", "must be between 1 and %d, got %d", MaxStages/2, count)
		return nil
	case !okCount:
		return nil
	case every <= 0:
		p.fail(s.fields["every"].val, s.sub("every"), "each level lasts a while, e.g. every: 30s", "must be greater than 0, got %s", FormatDuration(every))
		return nil
	case every > maxShapeSpan:
		every = maxShapeSpan // validation says the whole is too long
	}
	out := make([]Stage, 0, 2*count)
	for i := 1; i <= count; i++ {
		level := start + (to-start)*float64(i-1)/float64(count)
		out = append(out, Stage{Duration: every, Target: level}, Stage{Duration: 0, Target: start + (to-start)*float64(i)/float64(count)})
	}
	out[len(out)-1].Target = to
	return out
}

// diurnal: cycles of period, the load following a cosine from the start
// up to peak at half a period and back, drawn through diurnalPoints
// linear stages per cycle.
func (p *parser) diurnal(e entry, path string, start float64, unit string) []Stage {
	s, ok := p.section(e.val, path, diurnalKeys, "e.g. diurnal: {period: 10m, peak: 1000, cycles: 3}")
	if !ok {
		return nil
	}
	hints := map[string]string{
		"period": "period is the length of one cycle (a simulated day), e.g. period: 10m",
		"peak":   "peak is the load at the middle of each cycle, in " + unit + ", e.g. peak: 1000",
	}
	if !p.required(s, e.key, hints, "period", "peak") {
		return nil
	}
	var period time.Duration
	var peak float64
	cycles := 1
	s.duration("period", &period)
	s.number("peak", &peak)
	okCycles := true
	if _, given := s.get("cycles"); given {
		okCycles = s.integer("cycles", &cycles)
	}
	const maxCycles = MaxStages / diurnalPoints
	switch {
	case !okCycles:
		return nil
	case cycles < 1 || cycles > maxCycles:
		p.fail(s.fields["cycles"].val, s.sub("cycles"), "", "must be between 1 and %d, got %d", maxCycles, cycles)
		return nil
	case period < diurnalPoints:
		p.fail(s.fields["period"].val, s.sub("period"), "a cycle lasts a while, e.g. period: 10m", "must be at least %dns, got %s", diurnalPoints, FormatDuration(period))
		return nil
	case period > maxShapeSpan:
		period = maxShapeSpan // validation says the whole is too long
	}
	out := make([]Stage, 0, cycles*diurnalPoints)
	var at time.Duration
	for c := 0; c < cycles; c++ {
		for i := 1; i <= diurnalPoints; i++ {
			// stage ends fall on whole nanoseconds summing to the period
			end := time.Duration(float64(period) * float64(i) / diurnalPoints)
			x := (1 - math.Cos(2*math.Pi*float64(i)/diurnalPoints)) / 2
			target := start + (peak-start)*x
			if i == diurnalPoints {
				target = start
			}
			out = append(out, Stage{Duration: end - at, Target: target})
			at = end
		}
		at = 0
	}
	return out
}

// stages checks the workload's stages: durations not negative, targets
// in range, not too many, not too long in all.
func (v *validator) stages(w Workload) {
	const path = "workload.stages"
	if len(w.Stages) > MaxStages {
		v.add(path, "merge stages, or use fewer cycles", "%d stages; at most %d are allowed", len(w.Stages), MaxStages)
		return
	}
	var span time.Duration
	for i, st := range w.Stages {
		ip := indexPath(path, i)
		if st.Duration < 0 {
			v.add(ip+".duration", "a stage's duration is its own length; 0 jumps at once", "must not be negative, got %s", FormatDuration(st.Duration))
		}
		if w.Users != 0 {
			if !(st.Target >= 0 && st.Target <= maxUsers) {
				v.add(ip+".target", "", "users must be from 0 to %d, got %s", maxUsers, formatFloat(st.Target))
			}
		} else if !(st.Target >= 0 && st.Target <= maxRate) {
			v.add(ip+".target", "", "a rate must be from 0 to %d requests per second, got %s", maxRate, formatFloat(st.Target))
		}
		if st.Duration > 0 {
			span += min(st.Duration, maxShapeSpan+1)
		}
	}
	if span > maxShapeSpan {
		v.add(path, "shorten the stages", "last %s in all; at most %s", FormatDuration(span), FormatDuration(maxShapeSpan))
	}
}

// stagesNode writes the stages as a list of {duration, target}.
func (m *marshaler) stagesNode(stages []Stage) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: 0}
	for _, st := range stages {
		item := yamlMap("duration", yamlDuration(st.Duration), "target", yamlFloat(st.Target))
		item.Style = yaml.FlowStyle
		n.Content = append(n.Content, item)
	}
	return n
}

// describeStage says what stage i (from 0) of w does, for a phase's
// label: "stage 2: 100 → 5,000/s over 30s".
func (w Workload) DescribeStage(i int) string {
	if i < 0 || i >= len(w.Stages) {
		return ""
	}
	from := w.Start()
	if i > 0 {
		from = w.Stages[i-1].Target
	}
	st := w.Stages[i]
	unit := "/s"
	if w.Users != 0 {
		unit = " users"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "stage %d: ", i+1)
	switch {
	case st.Duration == 0:
		fmt.Fprintf(&b, "%s → %s%s at once", formatFloat(round3(from)), formatFloat(round3(st.Target)), unit)
	case from == st.Target:
		fmt.Fprintf(&b, "%s%s for %s", formatFloat(round3(from)), unit, FormatDuration(st.Duration))
	default:
		fmt.Fprintf(&b, "%s → %s%s over %s", formatFloat(round3(from)), formatFloat(round3(st.Target)), unit, FormatDuration(st.Duration))
	}
	return b.String()
}

// round3 keeps three significant decimals of a label's number.
func round3(x float64) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	p := math.Pow(10, 3-math.Ceil(math.Log10(math.Abs(x))))
	if p < 1 {
		return math.Round(x)
	}
	return math.Round(x*p) / p
}

func cloneStages(s []Stage) []Stage {
	if s == nil {
		return nil
	}
	return append([]Stage(nil), s...)
}
