package ui

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"scalesim/topology"
)

// An edit changes a clone of the running topology in place and says what
// it did ("workers 3 → 4"), or refuses with an error. The model validates
// the result and applies it; edits themselves never touch the simulation.
type edit func(t *topology.Topology) (string, error)

var (
	errNoCache = errors.New("this topology has no cache")
	errNoDB    = errors.New("no request of this topology uses the database")
	errSync    = errors.New("sync workers serve one request each: press m for threads or gevent")
)

// dir is +1 for the lower-case key of a pair (more) and -1 for the
// upper-case one (less).
type dir int

// editLoad steps the open workload's rate or the closed workload's users
// along a ladder of round numbers.
func editLoad(d dir) edit {
	return func(t *topology.Topology) (string, error) {
		w := &t.Workload
		if len(w.Stages) > 0 {
			return scaleShape(w, d)
		}
		if len(w.Populations) > 0 {
			return stepPopulations(w, d) // classes.go
		}
		if w.Users > 0 {
			old := w.Users
			next := int(math.Round(ladder(float64(old), d)))
			if next == old {
				next = old + int(d)
			}
			w.Users = next
			return fmt.Sprintf("users %d → %d", old, next), nil
		}
		old := w.Rate
		w.Rate = ladder(old, d)
		return fmt.Sprintf("rate %s → %s req/s", rate(old), rate(w.Rate)), nil
	}
}

// ladderSteps are the round numbers of one decade that the load steps
// through: never more than 25% apart.
var ladderSteps = []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9}

// ladder returns the next round number above v (d > 0) or below it.
func ladder(v float64, d dir) float64 {
	if v <= 0 {
		if d > 0 {
			return 1
		}
		return 0
	}
	dec := math.Pow(10, math.Floor(math.Log10(v)))
	const eps = 1e-9
	if d > 0 {
		for _, s := range ladderSteps {
			if x := s * dec; x > v*(1+eps) {
				return roundTo(x)
			}
		}
		return roundTo(10 * dec)
	}
	for i := len(ladderSteps) - 1; i >= 0; i-- {
		if x := ladderSteps[i] * dec; x < v*(1-eps) {
			return roundTo(x)
		}
	}
	return roundTo(0.9 * dec)
}

// roundTo removes float noise from a ladder value (1.2 * 0.1).
func roundTo(x float64) float64 {
	p := math.Pow(10, 6-math.Ceil(math.Log10(x)))
	return math.Round(x*p) / p
}

// editInt changes one integer field by d and names it.
func editInt(name string, field func(t *topology.Topology) *int, d dir) edit {
	return func(t *topology.Topology) (string, error) {
		f := field(t)
		old := *f
		*f += int(d)
		return fmt.Sprintf("%s %d → %d", name, old, *f), nil
	}
}

func editWorkers(d dir) edit {
	return editInt("workers", func(t *topology.Topology) *int { return &t.App.Workers }, d)
}

func editNodes(d dir) edit {
	return editInt("nodes", func(t *topology.Topology) *int { return &t.App.Nodes }, d)
}

func editCores(d dir) edit {
	return editInt("cores per node", func(t *topology.Topology) *int { return &t.App.Cores }, d)
}

func editDBCores(d dir) edit {
	return func(t *topology.Topology) (string, error) {
		if !usesDB(t) {
			return "", errNoDB
		}
		name := "db cores"
		if t.DB.Shards > 1 || t.DB.Replicas > 0 {
			name = "db cores per server"
		}
		return editInt(name, func(t *topology.Topology) *int { return &t.DB.Cores }, d)(t)
	}
}

// Concurrency a worker gets when it leaves sync for threads or gevent.
const (
	defaultThreads   = 8
	defaultGreenlets = 100
)

// editModel cycles sync → threads (8 per worker) → gevent (100 per
// worker, or the threads' number when larger) → sync. Sync serves one
// request per worker.
func editModel(t *topology.Topology) (string, error) {
	a := &t.App
	old, oldC := a.Model, a.Concurrency
	switch a.Model {
	case topology.Sync:
		a.Model = topology.Threads
		if a.Concurrency <= 1 {
			a.Concurrency = defaultThreads
		}
	case topology.Threads:
		// greenlets are cheap: uWSGI is run with --gevent 100, not 8
		a.Model = topology.Gevent
		a.Concurrency = max(a.Concurrency, defaultGreenlets)
	default:
		a.Model = topology.Sync
		a.Concurrency = 1
	}
	note := fmt.Sprintf("model %s → %s", old, a.Model)
	if a.Concurrency != oldC || a.Model != topology.Sync {
		note += fmt.Sprintf(" (concurrency %d)", a.Concurrency)
	}
	return note, nil
}

// editConcurrency doubles or halves the threads or greenlets per worker.
func editConcurrency(d dir) edit {
	return func(t *topology.Topology) (string, error) {
		a := &t.App
		if a.Model == topology.Sync {
			return "", errSync
		}
		old := a.Concurrency
		if d > 0 {
			a.Concurrency *= 2
		} else {
			a.Concurrency /= 2
		}
		return fmt.Sprintf("%s per worker %d → %d", slotNoun(a.Model), old, a.Concurrency), nil
	}
}

// slotNoun names a worker's slots under model m.
func slotNoun(m topology.Model) string {
	if m == topology.Gevent {
		return "greenlets"
	}
	return "threads"
}

// editCacheToggle switches the cache on or off, keeping its settings.
func editCacheToggle(t *topology.Topology) (string, error) {
	c := t.Cache
	if c == nil {
		return "", errNoCache
	}
	c.Disabled = !c.Disabled
	if c.Disabled {
		return "cache off: every read goes to the database", nil
	}
	return "cache on", nil
}

// hitStep is how far h/H move a fixed hit ratio.
const hitStep = 0.05

// editHitRatio moves a fixed hit ratio by 5 points, or doubles or halves
// the capacity of a modelled key space.
func editHitRatio(d dir) edit {
	return func(t *topology.Topology) (string, error) {
		c := t.Cache
		if c == nil {
			return "", errNoCache
		}
		if k := c.Keys; k != nil {
			old := k.Capacity
			if d > 0 {
				k.Capacity *= 2
			} else {
				k.Capacity /= 2
			}
			return fmt.Sprintf("cache capacity %d → %d keys", old, k.Capacity), nil
		}
		old := c.HitRatio
		c.HitRatio = math.Round((old+float64(d)*hitStep)*100) / 100
		return fmt.Sprintf("hit ratio %s → %s", pct(old), pct(c.HitRatio)), nil
	}
}

// scaleShape steps a shaped workload's peak along the ladder and scales
// the whole shape with it, its start and every stage's target, so that
// the shape keeps its form.
func scaleShape(w *topology.Workload, d dir) (string, error) {
	peak := w.Peak()
	if peak <= 0 {
		return "", fmt.Errorf("the load shape is 0 throughout: nothing to scale; edit its stages in the file")
	}
	next := ladder(peak, d)
	if w.Users > 0 {
		next = math.Round(next)
		if next == peak {
			next = peak + float64(d)
		}
		if next < 1 {
			return "", fmt.Errorf("the load shape's peak is already 1 user")
		}
	}
	w.Scale(next / peak)
	f := next / peak
	if w.Users > 0 {
		return fmt.Sprintf("load shape ×%s: peak %s → %s users", factorText(f), count(uint64(peak)), count(uint64(w.Peak()))), nil
	}
	return fmt.Sprintf("load shape ×%s: peak %s → %s req/s", factorText(f), rate(peak), rate(w.Peak())), nil
}

// factorText writes a scale factor with two decimals at most: 1.25, 0.8.
func factorText(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}
