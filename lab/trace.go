package lab

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// tracePage is one request as app.py's LAB_TRACE records it: the worker's
// process and thread, the monotonic clock (ns) at the page's start, at the
// end of its first burn, at the end of its sleep and at its end, the CPU
// the thread used in the page (ns), and the thread's CPU clock at the
// page's start (ns).
type tracePage struct {
	Pid, Tid                 int
	Start, Burnt, Slept, End int64
	CPU, CPUAt               int64
}

// traceFields is how many numbers a trace line holds.
const traceFields = 8

// parseTrace reads a LAB_TRACE file, one page a line; a line that is not
// eight whole numbers in order of time is an error naming the line.
func parseTrace(r io.Reader) ([]tracePage, error) {
	var pages []tracePage
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) != traceFields {
			return nil, fmt.Errorf("trace line %d: %d fields, want %d (pid tid start burnt slept end cpu cpu_at)", n, len(f), traceFields)
		}
		var v [traceFields]int64
		for i, s := range f {
			x, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("trace line %d, field %d: %w", n, i+1, err)
			}
			v[i] = x
		}
		p := tracePage{Pid: int(v[0]), Tid: int(v[1]), Start: v[2], Burnt: v[3], Slept: v[4], End: v[5], CPU: v[6], CPUAt: v[7]}
		if p.Start > p.Burnt || p.Burnt > p.Slept || p.Slept > p.End || p.CPU < 0 {
			return nil, fmt.Errorf("trace line %d: times out of order (start %d, burnt %d, slept %d, end %d, cpu %d)", n, p.Start, p.Burnt, p.Slept, p.End, p.CPU)
		}
		pages = append(pages, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return pages, nil
}

// traceCPU is what a trace says of the CPU a worker's thread spends per
// request: from one page's start to the next one's on the same thread,
// its page's and uWSGI's work between pages, as the thread's own CPU
// clock counts it.
type traceCPU struct {
	n             int     // pairs of consecutive pages on one thread
	mean, cv      float64 // CPU per request (ms) and its spread
	page, between float64 // of which the page's, and uWSGI's between pages (ms)
	pageCV        float64 // the page's own spread
}

// cpuPerRequest measures pages' CPU per request on each thread (see
// traceCPU). A thread whose pages overlap in time (gevent's greenlets
// share it, and its clock counts theirs) gives none: ok is false if no
// thread gave one. Pages are in the order the trace wrote them, which on
// one thread is the order they ran.
func cpuPerRequest(pages []tracePage) (c traceCPU, ok bool) {
	last := map[int]tracePage{}
	shared := map[int]bool{} // threads whose pages overlap
	for _, p := range pages {
		if prev, seen := last[p.Tid]; seen && prev.End > p.Start {
			shared[p.Tid] = true
		}
		last[p.Tid] = p
	}
	clear(last)
	var sum, sq, page, pageSq, between float64
	for _, p := range pages {
		prev, seen := last[p.Tid]
		last[p.Tid] = p
		if !seen || shared[p.Tid] || p.CPUAt < prev.CPUAt+prev.CPU {
			continue
		}
		d := float64(p.CPUAt-prev.CPUAt) / 1e6
		pc := float64(prev.CPU) / 1e6
		c.n++
		sum, sq = sum+d, sq+d*d
		page, pageSq = page+pc, pageSq+pc*pc
		between += d - pc
	}
	if c.n < 2 {
		return traceCPU{}, false
	}
	n := float64(c.n)
	cv := func(s, s2 float64) float64 {
		m := s / n
		return math.Sqrt(max(s2/n-m*m, 0)) / m
	}
	c.mean, c.cv = sum/n, cv(sum, sq)
	c.page, c.pageCV, c.between = page/n, cv(page, pageSq), between/n
	return c, true
}

// startedTogether is the share of pages that started within within of a
// page on every other worker thread in the trace: 1 for workers in
// complete lockstep, near 0 for workers whose bursts pipeline. ok is
// false for fewer than two threads.
func startedTogether(pages []tracePage, within int64) (share float64, ok bool) {
	byStart := slices.Clone(pages)
	slices.SortFunc(byStart, func(a, b tracePage) int { return cmp.Compare(a.Start, b.Start) })
	threads := map[int]bool{}
	for _, p := range byStart {
		threads[p.Tid] = true
	}
	if len(threads) < 2 {
		return 0, false
	}
	together, lo := 0, 0
	near := map[int]bool{}
	for _, p := range byStart {
		for byStart[lo].Start < p.Start-within {
			lo++
		}
		clear(near)
		for j := lo; j < len(byStart) && byStart[j].Start <= p.Start+within; j++ {
			near[byStart[j].Tid] = true
		}
		if len(near) == len(threads) {
			together++
		}
	}
	return float64(together) / float64(len(byStart)), true
}
