package main

import (
	"os"
	"path/filepath"
	"testing"
)

// Command lines a hostile or careless user types, each refused with
// exit code 2 and a message that says what to write instead, where the
// last value silently won, a word processor's dash made a file name, or
// a malformed address or a conflicting format went through.
func TestHostileCommandLines(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rows.csv")
	cases := []struct {
		name string
		args []string
		err  string
	}{
		{"a flag twice", []string{"run", "--duration", "1s", "--duration", "2s", "redis-cache"},
			`--duration given twice ("1s", then "2s"); give it once`},
		{"a flag twice, in both spellings", []string{"run", "--seed=1", "redis-cache", "--seed", "2"},
			`--seed given twice ("1", then "2"); give it once`},
		{"a switch twice", []string{"run", "--theory", "--theory", "redis-cache"}, "--theory given twice; give it once"},
		{"find's vary twice", []string{"find", "--vary", "app.workers", "--vary", "app.nodes", "--slo", "p99<1s", "redis-cache"},
			`--vary given twice ("app.workers", then "app.nodes"); give it once`},
		{"the dashboard's flag twice", []string{"--speed", "10", "--speed", "20", "redis-cache"}, `--speed given twice ("10", then "20")`},
		{"an em dash", []string{"run", "—duration", "1s", "redis-cache"},
			`"—duration" starts with "—" (U+2014), not a hyphen (a word processor's dash?); write --duration`},
		{"an en dash", []string{"sweep", "–set", "app.workers=1,2", "redis-cache"}, `starts with "–" (U+2013), not a hyphen`},
		{"a minus sign", []string{"compare", "redis-cache", "−−b", "app.workers=4"}, `starts with "−" (U+2212), not a hyphen`},
		{"an address of three colons", []string{"run", "--metrics-listen", "a:b:c", "redis-cache"},
			"an IPv6 address is written in brackets with its port: [::1]:8355"},
		{"rows named CSV, written as JSON", []string{"sweep", "--out", out, "--format", "json", "--set", "app.workers=1,2", "redis-cache"},
			"is CSV by its name, and --format json says otherwise; give one of them"},
		{"an SLO term twice", []string{"find", "--vary", "app.workers", "--slo", "p99<200ms, p99<100ms", "redis-cache"},
			`"p99<100ms": p99 is limited twice (p99<200ms before); give the limit once`},
		{"a duration with an exponent", []string{"run", "--duration", "1e3s", "redis-cache"}, "write 1000s: a duration's number takes no exponent"},
		{"NaN for a rate", []string{"compare", "redis-cache", "--b", "workload.rate=NaN"}, `"NaN" is not a finite number`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runWithin(t, tc.args...).check(t, 2, "", tc.err)
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused sweep created %s", out)
	}
	// what may be given more than once still may
	runWithin(t, "plan", "--set", "app.workers=4", "--set", "app.nodes=2", "redis-cache").check(t, 0, "plan of", "")
}
