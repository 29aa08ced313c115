package topology

import (
	"errors"
	"testing"
)

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "shop.yaml", Line: 12, Col: 5, Path: "app.wrokers", Msg: "unknown key", Hint: `did you mean "workers"?`},
			`shop.yaml:12:5: app.wrokers: unknown key; did you mean "workers"?`},
		{Error{File: "shop.yaml", Line: 3, Msg: "invalid YAML: oops"}, "shop.yaml:3: invalid YAML: oops"},
		{Error{File: "shop.yaml", Msg: "missing app section"}, "shop.yaml: missing app section"},
		{Error{Line: 2, Col: 7, Path: "lb.policy", Msg: "bad"}, "2:7: lb.policy: bad"},
		{Error{Path: "app.workers", Msg: "must be between 1 and 10000, got 0"}, "app.workers: must be between 1 and 10000, got 0"},
		{Error{Msg: "plain", Hint: "hint"}, "plain; hint"},
		{Error{File: "f", Col: 3, Msg: "no line, so no column"}, "f: no line, so no column"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}

func TestErrorsSortAndUnwrap(t *testing.T) {
	es := Errors{
		{File: "a", Line: 9, Col: 1, Msg: "third"},
		{File: "a", Line: 2, Col: 8, Msg: "second"},
		{File: "a", Line: 2, Col: 3, Msg: "first"},
	}
	es.sortByPosition()
	if got, want := es.Error(), "a:2:3: first\na:2:8: second\na:9:1: third"; got != want {
		t.Errorf("sorted errors:\n%s\nwant:\n%s", got, want)
	}
	var e *Error
	if !errors.As(error(es), &e) || e.Msg != "first" {
		t.Errorf("errors.As found %v", e)
	}
	if (Errors{}).orNil() != nil {
		t.Error("empty Errors is not nil")
	}
}

func TestSuggest(t *testing.T) {
	allowed := []string{"nodes", "cores", "workers", "model", "concurrency", "switch_interval", "worker_memory"}
	tests := map[string]string{
		"wrokers":  "workers",
		"worker":   "workers",
		"Workers":  "workers",
		"node":     "nodes",
		"conc":     "concurrency",
		"interval": "switch_interval",
		"modle":    "model",
		"x":        "",
		"gil":      "",
		"memory":   "worker_memory",
		"banana":   "",
	}
	for in, want := range tests {
		if got := suggest(in, allowed); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
	if got := suggest("io2", []string{"cpu", "io", "db"}); got != "io" {
		t.Errorf("suggest(io2) = %q", got)
	}
	if got := suggest("audio", []string{"cpu", "io", "db"}); got != "" {
		t.Errorf("suggest(audio) = %q, want nothing", got)
	}
}

func TestLevenshtein(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"kitten", "sitting", 3}, {"wrokers", "workers", 2}, {"gevnt", "gevent", 1}, {"é", "e", 1}} {
		if got := levenshtein(tt.a, tt.b); got != tt.d {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}
