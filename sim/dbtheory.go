package sim

import (
	"fmt"
	"math"
	"time"

	"scalesim/theory"
	"scalesim/topology"
)

// judgeDB names the model of database server st, measured as q, or why
// none applies: why first, then the measurement. Its cores are time-sliced
// by the OS (db.scheduler) and pay a switch to each query's backend
// (db.switch_cost); the switch is CPU the core spends on the query, so
// the model folds it into the service time, at the switches per query
// measured. Sliced cores are judged by the queries' length against the
// slice:
//
//   - queries that fit in their slice, two standard deviations above
//     their mean included, are hardly ever preempted: the run queue
//     serves them first come, first served (M/G/c, Allen and Cunneen);
//   - queries of three slices or more take turns often enough for
//     processor sharing (M/G/c-PS: insensitive, its mean is M/M/c's);
//   - in between some are cut at the slice and some are not, and no
//     model is sound.
//
// Exponential queries have M/M/c's mean whatever the order they are
// served in, so they are M/M/c-PS at any length.
func (s *Sim) judgeDB(q QueueStat, why string, st *station, switched uint64) QueueStat {
	cfg := s.topo.DB.CPU
	if why != "" || q.Served < minServed || !serversSteady(q) || cfg.SwitchCost == 0 && !s.dbSliced() {
		return s.judge(q, why, s.dbSliced())
	}
	if cfg.SwitchCost > 0 {
		perQuery := float64(st.db.cs.switches-switched) / float64(q.Served)
		q.SwitchMs = perQuery * float64(cfg.SwitchCost) / 1e6
	}
	if !s.dbSliced() {
		// run to completion: first come, first served, with each query
		// the longer by its switch
		q = s.judge(q, "", false)
		if q.Model == theory.NameMMc {
			q.Model = theory.NameMGc // exponential plus a constant is not
		}
		fold := switchWords(q, cfg.SwitchCost) + " folded into each query's service"
		switch q.Model {
		case theory.NameMGc:
			q.Why = "approximate (Allen and Cunneen): " + fold
		case theory.NameMG1:
			q.Why = fold
		}
		return q
	}
	slice := cfg.SliceFor(q.Servers)
	core := q.ServiceMs + q.SwitchMs // a query's time on its core
	sd := q.ServiceCV * q.ServiceMs
	sliceMs := float64(slice) / 1e6
	long := fmt.Sprintf("queries of %s (cv %.2g)", msWords(q.ServiceMs), q.ServiceCV)
	switch {
	case exponential(q) && q.SwitchMs == 0:
		q.Model, q.Why = theory.NameMMcPS, ""
	case exponential(q):
		q.Model = theory.NameMMcPS
		q.Why = fmt.Sprintf("approximate: exponential queries have M/M/c's mean in any order; %s folded into their service", switchWords(q, cfg.SwitchCost))
	case core+2*sd <= sliceMs:
		q.Model = theory.NameMGc
		q.Why = fmt.Sprintf("approximate: %s fit in the %s slice, so the cores run them first come, first served (Allen and Cunneen)", long, topology.FormatDuration(slice))
		if q.SwitchMs > 0 {
			q.Why += "; " + switchWords(q, cfg.SwitchCost) + " folded into their service"
		}
	case core >= 3*sliceMs:
		q.Model = theory.NameMGcPS
		q.Why = fmt.Sprintf("approximate: %s take turns in %s slices, nearly processor sharing", long, topology.FormatDuration(slice))
		if q.SwitchMs > 0 {
			q.Why += "; " + switchWords(q, cfg.SwitchCost) + " folded into their service"
		}
	default:
		q.Model = ""
		q.Why = fmt.Sprintf("time-sliced cores: %s against a %s slice: some are cut at the slice and some are not, neither first come, first served nor processor sharing", long, topology.FormatDuration(slice))
	}
	return q
}

// switchWords says what the switches cost a query: its switches per
// query measured, at cost each.
func switchWords(q QueueStat, cost time.Duration) string {
	n := fmt.Sprintf("%.2g", q.SwitchMs*1e6/float64(cost))
	word := "switches"
	if n == "1" {
		word = "switch"
	}
	return fmt.Sprintf("%s %s per query at %s", n, word, topology.FormatDuration(cost))
}

// msWords writes a mean service time of ms milliseconds to two
// significant digits (whole milliseconds from 100).
func msWords(ms float64) string {
	if ms >= 99.5 {
		return fmt.Sprintf("%.0fms", ms)
	}
	return fmt.Sprintf("%.2gms", ms)
}

// serversSteady reports whether q's servers stayed the same over the
// window, as judge requires.
func serversSteady(q QueueStat) bool {
	return math.Abs(q.ServersMean-float64(q.Servers)) <= 1e-9*float64(max(q.Servers, 1))
}
