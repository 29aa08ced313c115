package lab

import (
	"fmt"
	"strconv"
)

// logWrite asks url (a page that logs a line) n times, one request at a
// time, and returns the mean of the pages' X-Log-Ns: the wall time, in
// ms, of their log line's write and flush with no other request on the
// server, so that no other thread held the GIL when the write let go of
// it.
func logWrite(url string, n int) (float64, error) {
	c := newClient(1)
	sum := 0.0
	for i := 0; i < n; i++ {
		resp, err := c.Get(url)
		if err != nil {
			return 0, fmt.Errorf("the log write: %w", err)
		}
		resp.Body.Close()
		ns, err := strconv.ParseInt(resp.Header.Get("X-Log-Ns"), 10, 64)
		if err != nil || ns < 0 {
			return 0, fmt.Errorf("the log write: the page answered X-Log-Ns %q: is app.py's log=1 there?", resp.Header.Get("X-Log-Ns"))
		}
		sum += float64(ns) / 1e6
	}
	return sum / float64(n), nil
}
