package lab

import (
	"bufio"
	"fmt"
	"io"
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
