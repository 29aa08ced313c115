package sweep

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// Verdict is what the seeds of a candidate say of the objective.
type Verdict int

const (
	// Unsure: some term's interval contains its limit even with the
	// most seeds allowed.
	Unsure Verdict = iota
	// Meets: every term's upper bound is below its limit.
	Meets
	// Fails: some term's lower bound is above its limit, or a run was
	// stopped as overloaded.
	Fails
)

func (v Verdict) String() string {
	return [...]string{"unsure", "meets", "fails"}[v]
}

// Trial is one candidate value and what its runs said.
type Trial struct {
	Value   string
	Verdict Verdict
	Seeds   int
	// Terms are the intervals of the objective's terms over the seeds,
	// at the one-sided level Confidence, in the objective's order.
	Terms []Interval
	// Stopped counts runs stopped early as overloaded; Why says why.
	Stopped int
	Why     string
	Elapsed time.Duration // wall time the trial took
}

// Search is a search for the smallest whole value of a field (Path),
// or with Highest the highest value of a real one (the arrival rate),
// that meets an objective. It bisects, so it assumes the objective's
// response is monotonic in the field: more of it never makes things
// worse (or, with Highest, less never does).
type Search struct {
	Base *topology.Topology
	Path string
	// Highest searches for the highest value meeting the objective (a
	// rate) to a relative Precision; else the smallest whole value.
	Highest   bool
	Precision float64
	// Lo and Hi bound the search when HasBounds; else the search starts
	// at the file's value and doubles or halves.
	Lo, Hi    float64
	HasBounds bool
	SLO       SLO
	Run       Run
	// Seeds are the seeds a candidate starts with; more are added, up to
	// MaxSeeds, while a term's interval contains its limit.
	Seeds    []uint64
	MaxSeeds int
	Jobs     int
	// Log, if set, is told each trial as it is decided.
	Log func(Trial)
}

// Answer is a search's result: the value found, the trial that showed
// it meets the objective and the nearest that did not.
type Answer struct {
	Found bool
	Value string
	Best  *Trial // the trial of Value
	Next  *Trial // the nearest value that did not meet it, if tried
	// Limit says why nothing was found, when not Found.
	Limit  string
	Trials []Trial
}

// maxWhole bounds the doubling of a whole-number search.
const maxWhole = 1 << 20

// Find runs the search.
func (s *Search) Find() (*Answer, error) {
	if len(s.Seeds) == 0 {
		return nil, fmt.Errorf("a search needs at least one seed")
	}
	tried := map[string]*Trial{}
	ans := &Answer{}
	try := func(v float64) (*Trial, error) {
		text := s.format(v)
		if t, ok := tried[text]; ok {
			return t, nil
		}
		t, err := s.trial(text)
		if err != nil {
			return nil, err
		}
		tried[text] = t
		ans.Trials = append(ans.Trials, *t)
		if s.Log != nil {
			s.Log(*t)
		}
		return t, nil
	}
	if s.Highest {
		return s.highest(ans, try)
	}
	return s.smallest(ans, try)
}

func (s *Search) format(v float64) string {
	if !s.Highest {
		return strconv.FormatInt(int64(v), 10)
	}
	// four significant figures are more than a run's noise resolves
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// smallest finds the smallest whole value meeting the objective:
// hi meets, lo-1 does not (or lo is the lower bound).
func (s *Search) smallest(ans *Answer, try func(float64) (*Trial, error)) (*Answer, error) {
	lo, hi := 1.0, 0.0
	var best, next *Trial
	if s.HasBounds {
		lo, hi = s.Lo, s.Hi
		t, err := try(hi)
		if err != nil {
			return nil, err
		}
		if t.Verdict != Meets {
			ans.Limit = fmt.Sprintf("%s = %s, the top of the range, does not meet it (%s)", s.Path, t.Value, t.Verdict)
			return ans, nil
		}
		best = t
	} else {
		cur, err := s.Base.Get(s.Path)
		if err != nil {
			return nil, err
		}
		c, err := strconv.Atoi(cur)
		if err != nil {
			return nil, fmt.Errorf("find --vary searches whole numbers (workers, nodes, cores, replicas); %s is %q; for the arrival rate use --max-rate", s.Path, cur)
		}
		hi = float64(max(c, 1))
		for {
			t, err := try(hi)
			if err != nil {
				return nil, err
			}
			if t.Verdict == Meets {
				best = t
				break
			}
			next, lo = t, hi+1
			if hi >= maxWhole {
				ans.Limit = fmt.Sprintf("no value up to %d meets it", maxWhole)
				return ans, nil
			}
			hi *= 2
			if _, err := s.Base.With(topology.Change{Action: topology.ActSet, Path: s.Path, Value: s.format(hi)}); err != nil {
				ans.Limit = fmt.Sprintf("%s = %s does not meet it and %s is refused: %v", s.Path, s.format(hi/2), s.format(hi), err)
				return ans, nil
			}
		}
	}
	for lo < hi {
		mid := math.Floor((lo + hi) / 2)
		t, err := try(mid)
		if err != nil {
			return nil, err
		}
		if t.Verdict == Meets {
			hi, best = mid, t
		} else {
			lo, next = mid+1, t
		}
	}
	if next != nil && next.Value != s.format(hi-1) {
		next = nil // the value below was never tried: it is the range's bottom
	}
	ans.Found, ans.Value, ans.Best, ans.Next = true, best.Value, best, next
	return ans, nil
}

// highest finds the highest value meeting the objective to a relative
// precision: lo meets, hi does not.
func (s *Search) highest(ans *Answer, try func(float64) (*Trial, error)) (*Answer, error) {
	var lo, hi float64
	var best, next *Trial
	if s.HasBounds {
		lo, hi = s.Lo, s.Hi
		t, err := try(lo)
		if err != nil {
			return nil, err
		}
		if t.Verdict != Meets {
			ans.Limit = fmt.Sprintf("%s = %s, the bottom of the range, does not meet it (%s)", s.Path, t.Value, t.Verdict)
			return ans, nil
		}
		best = t
		if t, err = try(hi); err != nil {
			return nil, err
		}
		if t.Verdict == Meets {
			ans.Found, ans.Value, ans.Best = true, t.Value, t
			ans.Limit = "the top of the range meets it: the highest may be higher"
			return ans, nil
		}
		next = t
	} else {
		cur, err := s.Base.Get(s.Path)
		if err != nil {
			return nil, err
		}
		c, err := strconv.ParseFloat(cur, 64)
		if err != nil || !(c > 0) {
			return nil, fmt.Errorf("%s is %q: --max-rate needs an open workload with a rate", s.Path, cur)
		}
		t, err := try(c)
		if err != nil {
			return nil, err
		}
		if t.Verdict == Meets {
			lo, best = c, t
			for hi = c * 2; ; hi *= 2 {
				if t, err = try(hi); err != nil {
					return nil, err
				}
				if t.Verdict != Meets {
					next = t
					break
				}
				lo, best = hi, t
				if hi > 1e9 {
					ans.Limit = "every rate up to 1e9/s meets it"
					return ans, nil
				}
			}
		} else {
			hi, next = c, t
			for lo = c / 2; ; lo /= 2 {
				if t, err = try(lo); err != nil {
					return nil, err
				}
				if t.Verdict == Meets {
					best = t
					break
				}
				hi, next = lo, t
				if lo < 1e-3 {
					ans.Limit = "no rate down to 0.001/s meets it"
					return ans, nil
				}
			}
		}
	}
	for (hi-lo)/lo > s.Precision {
		mid := (lo + hi) / 2
		if s.format(mid) == s.format(lo) || s.format(mid) == s.format(hi) {
			break
		}
		t, err := try(mid)
		if err != nil {
			return nil, err
		}
		if t.Verdict == Meets {
			lo, best = mid, t
		} else {
			hi, next = mid, t
		}
	}
	ans.Found, ans.Value, ans.Best, ans.Next = true, best.Value, best, next
	return ans, nil
}

// trial runs the candidate value with the first seeds, and doubles them
// while undecided, up to MaxSeeds.
func (s *Search) trial(value string) (*Trial, error) {
	t, err := s.Base.With(topology.Change{Action: topology.ActSet, Path: s.Path, Value: value})
	if err != nil {
		return nil, err
	}
	start := time.Now()
	run := s.Run
	run.Stop = func() StopRule { return s.stopRule(t) }
	tr := &Trial{Value: value}
	var results []Result
	seeds := s.Seeds
	for {
		var got []Result
		err := run.Parallel([]Job{{Topology: t}}, seeds[len(results):], s.Jobs, func(d Done) error {
			got = d.Results
			return d.Err
		})
		if err != nil {
			return nil, err
		}
		results = append(results, got...)
		tr.Seeds = len(results)
		s.judge(tr, results)
		if tr.Verdict != Unsure || len(results) >= s.MaxSeeds {
			break
		}
		n := min(2*len(results), s.MaxSeeds)
		for i := len(seeds); i < n; i++ {
			seeds = append(seeds, seeds[len(seeds)-1]+1)
		}
	}
	tr.Elapsed = time.Since(start)
	return tr, nil
}

// unanswered reports whether r completed no request in its window.
func unanswered(r Result) bool { return r.Sum.Window.Completed == 0 }

// judge sets tr's verdict from results.
func (s *Search) judge(tr *Trial, results []Result) {
	tr.Stopped = 0
	for _, r := range results {
		if r.Stopped != "" {
			tr.Stopped++
			tr.Why = r.Stopped
		}
	}
	tr.Terms = make([]Interval, len(s.SLO))
	meets := true
	fails := tr.Stopped > 0
	xs := make([]float64, len(results))
	for i, term := range s.SLO {
		for k := range results {
			xs[k] = results[k].Value(term.Figure)
		}
		// a one-sided bound at Confidence is a two-sided interval's end
		// at 2·Confidence - 1
		iv := Over(xs, 2*Confidence-1)
		tr.Terms[i] = iv
		if !(iv.Hi() < term.Limit) || term.Latency() && slices.ContainsFunc(results, unanswered) {
			// a run that answered nothing in its window has a latency
			// of 0 on paper, and shows nothing about the objective
			meets = false
		}
		if iv.Lo() > term.Limit {
			fails = true
		}
	}
	switch {
	case fails:
		tr.Verdict = Fails
	case meets:
		tr.Verdict = Meets
	default:
		tr.Verdict = Unsure
	}
}

// stopRule stops a run that cannot meet the objective: one whose
// requests in flight are growing, at least 1,000 of them, and by
// Little's law wait on average more than 20 times the objective's
// largest latency limit (a stable queue reaches that length with a
// probability like ρ^1000); or one that has already lost 1.5 times more
// requests than the objective allows in the whole run. The rule is one
// run's: it keeps that run's counts.
func (s *Search) stopRule(t *topology.Topology) StopRule {
	lim := s.SLO.latencyLimit() / 1e3 // seconds
	var errLim float64
	for _, term := range s.SLO {
		if term.Figure == "errors" || term.Figure == "drops" {
			if errLim == 0 || term.Limit < errLim {
				errLim = term.Limit
			}
		}
	}
	expected := t.Workload.Rate * s.Run.Duration.Seconds()
	var prev uint64
	var base sim.Counts
	started := false
	return func(sm *sim.Sim, elapsed time.Duration) bool {
		tot := sm.Totals()
		if !started {
			base, started = tot, true
		}
		grew := tot.InFlight > prev
		prev = tot.InFlight
		if lim > 0 && grew && tot.Completed > 0 && elapsed >= time.Second {
			x := float64(tot.Completed) / sm.Now().Seconds()
			if tot.InFlight >= 1000 && float64(tot.InFlight)/x > 20*lim {
				return true
			}
		}
		if errLim > 0 && expected > 0 {
			l := tot.Logical
			bad := l.Dropped + l.Failed + l.Abandoned - (base.Logical.Dropped + base.Logical.Failed + base.Logical.Abandoned)
			if float64(bad) > errLim*expected*1.5 {
				return true
			}
		}
		return false
	}
}
