package sim

import (
	"math"
	"time"
)

// This file is the Kubernetes HorizontalPodAutoscaler's rule, as its
// controller (pkg/controller/podautoscaler: the replica calculator and
// normalizeDesiredReplicasWithBehaviors) computes it for one metric and
// the default behaviour, in the same arithmetic. It knows nothing of the
// simulation: the autoscaler (autoscale.go) measures the metric and
// applies what this decides.

// hpaPeriod is the period of the default scaling policies: up by at most
// max(100%, 4 pods), down by up to 100%, per 15 s.
const hpaPeriod = int64(15 * time.Second)

// hpaWithin reports whether the usage ratio r is within tol of 1, where
// the HPA leaves the count alone.
func hpaWithin(r, tol float64) bool { return 1-tol <= r && r <= 1+tol }

// hpaReplicas is the replica calculator for a metric averaged over the
// ready pods (a resource metric such as CPU, or a pods metric): current
// is the replica count the workload asks for, ready the pods with a
// metric, unready the others (starting, or down), and ratio the ready
// pods' average over the target.
//
// Unready pods are set aside; on a scale-up they count as using nothing
// (0% of the target), so that pods still starting do not make the HPA
// scale up again for load they will take. A change of direction caused by
// that, or a new ratio within the tolerance, leaves the count alone.
func hpaReplicas(current, ready, unready int, ratio, tol float64) int {
	if unready == 0 || ratio <= 1 {
		if hpaWithin(ratio, tol) {
			return current
		}
		return int(math.Ceil(ratio * float64(ready)))
	}
	// scale-up with unready pods: refill them at 0 and recompute
	n := ready + unready
	newRatio := ratio * float64(ready) / float64(n)
	if hpaWithin(newRatio, tol) || newRatio < 1 {
		return current
	}
	replicas := int(math.Ceil(newRatio * float64(n)))
	if replicas < current {
		return current
	}
	return replicas
}

// hpaObjectReplicas is the replica calculator for an object metric (one
// value for the whole workload, such as a latency percentile): the ratio
// scales the ready pods.
func hpaObjectReplicas(current, ready int, ratio, tol float64) int {
	if hpaWithin(ratio, tol) {
		return current
	}
	return int(math.Ceil(ratio * float64(ready)))
}

// hpaLimit says why a decision differs from the recommendation.
type hpaLimit uint8

const (
	limitNone       hpaLimit = iota
	limitWindow              // held up by a higher recommendation in the scale-down window
	limitScaleUp             // the scale-up policy: max(100%, 4) per 15 s
	limitMax                 // the maximum
	limitMin                 // the minimum
	limitNoMetric            // no metric to decide on: no ready node, or nothing completed
	limitOutOfRange          // the count was outside min..max: straight back to the range
)

// hpaRec is one recommendation, at time t.
type hpaRec struct {
	t int64
	n int
}

// hpaEvent is one scaling, at time t, by change pods (positive).
type hpaEvent struct {
	t      int64
	change int
}

// hpaRule is the state the HPA's controller keeps for one autoscaler:
// the recommendations of the scale-down window and the scale events of
// the policy period. Both are pruned as they age, so its memory is at
// most one entry per evaluation in the window.
type hpaRule struct {
	window     int64 // scale-down stabilisation window (ns)
	recs       []hpaRec
	ups, downs []hpaEvent
}

// decide is one evaluation at time now: current is the replica count the
// workload asks for, rec the replica calculator's recommendation (ok is
// false when there is no metric to compute one from). It returns the
// count to scale to and why it differs from rec.
func (h *hpaRule) decide(now int64, current, rec int, ok bool, lo, hi int) (int, hpaLimit) {
	desired, why := current, limitNone
	switch {
	case current > hi:
		desired, why = hi, limitOutOfRange
	case current < lo:
		desired, why = lo, limitOutOfRange
	case !ok:
		return current, limitNoMetric
	default:
		desired, why = h.normalize(now, current, rec, lo, hi)
	}
	h.store(now, current, desired)
	return desired, why
}

// normalize stabilises rec over the scale-down window, then applies the
// rate limits and the bounds.
func (h *hpaRule) normalize(now int64, current, rec, lo, hi int) (int, hpaLimit) {
	// stabilisation: the scale-up window is 0 (no stabilisation); a
	// scale-down goes no lower than the highest recommendation of the
	// window (those after now - window, and this one)
	down := rec
	cutoff := now - h.window
	keep := h.recs[:0]
	for _, r := range h.recs {
		if r.t > cutoff {
			down = max(down, r.n)
			keep = append(keep, r)
		}
	}
	h.recs = append(keep, hpaRec{now, rec})
	desired, why := max(current, rec), limitNone
	if desired > down {
		desired = down
	}
	if desired != rec {
		why = limitWindow
	}

	// rate limits and bounds
	switch {
	case desired > current:
		start := current - h.changed(h.ups, now) + h.changed(h.downs, now)
		limit := max(start+4, int(math.Ceil(float64(start)*2)))
		limit = max(limit, current)
		allowed, reason := hi, limitMax
		if allowed > limit {
			allowed, reason = limit, limitScaleUp
		}
		if desired > allowed {
			desired, why = allowed, reason
		}
	case desired < current:
		// the default scale-down policy allows 100% per period: only the
		// minimum binds
		if desired < lo {
			desired, why = lo, limitMin
		}
	}
	return desired, why
}

// changed sums the changes of events within the policy period before now.
func (h *hpaRule) changed(events []hpaEvent, now int64) int {
	sum := 0
	for _, e := range events {
		if e.t > now-hpaPeriod {
			sum += e.change
		}
	}
	return sum
}

// store records a scaling from prev to next at now, forgetting events
// older than the policy period.
func (h *hpaRule) store(now int64, prev, next int) {
	if next == prev {
		return
	}
	list, change := &h.ups, next-prev
	if next < prev {
		list, change = &h.downs, prev-next
	}
	keep := (*list)[:0]
	for _, e := range *list {
		if e.t >= now-hpaPeriod {
			keep = append(keep, e)
		}
	}
	*list = append(keep, hpaEvent{now, change})
}
