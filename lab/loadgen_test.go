package lab

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A handler that answers after 10 ms: the closed load cannot do better
// than users / 10 ms, every latency is at least 10 ms, and the open load
// sends about rate × duration requests (Poisson: 200 ± 3 sigma of 14).
func TestLoadGenerators(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(10 * time.Millisecond)
		w.Write([]byte("ok\n"))
	}))
	defer srv.Close()

	c := closedLoad(srv.URL, 4, 200*time.Millisecond, time.Second, 1)
	if c.Errors != 0 {
		t.Errorf("closed: %d errors", c.Errors)
	}
	if tp := c.ThroughputRPS(); tp > 4/0.010 || tp < 50 {
		t.Errorf("closed: %.0f req/s; 4 users of 10 ms requests do at most 400", tp)
	}
	if mean, _, _, _ := c.stats(); mean < 10 {
		t.Errorf("closed: mean latency %.2f ms, below the handler's 10 ms", mean)
	}

	o := openLoad(srv.URL, 200, 200*time.Millisecond, time.Second, 1)
	if o.Errors != 0 {
		t.Errorf("open: %d errors", o.Errors)
	}
	if o.Completed < 200-42 || o.Completed > 200+42 {
		t.Errorf("open: %d requests sent in 1 s at 200/s", o.Completed)
	}
	if _, p50, _, _ := o.stats(); p50 < 10 {
		t.Errorf("open: median latency %.2f ms, below the handler's 10 ms", p50)
	}
}
