package sweep

import (
	"testing"
)

// FuzzFlags checks that the flags' parsers (--set, --slo, --shard)
// never panic, and that a --set they accept has values within the grid's
// bounds. The seed corpus runs in every plain go test.
func FuzzFlags(f *testing.F) {
	for _, seed := range []string{
		"app.workers=1..16", "workload.rate=100..3000:100", "app.speed=0.5..2:0.25",
		"workload.requests[0].steps[0].cpu=exp(10ms),uniform(1ms, 2ms)", "a=1..1e308:1e-308",
		"a=NaN..1", "a=-1..-5:-1", "=", "a=,", "a=1..", "a=..2", "a=1..2:", "a=(((", "a=1,(2,3),4)",
		"p99<200ms,errors<0.1%", "mean<1ns", "drops<100%", "p50<,", "3/4", "k8s/8", "slurm", "slurm/0", "0/0", "-1/2",
	} {
		f.Add(seed)
	}
	env := func(k string) string {
		return map[string]string{"JOB_COMPLETION_INDEX": "3", "SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"}[k]
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ax, err := ParseSet(s); err == nil && (len(ax.Values) == 0 || len(ax.Values) > maxPoints) {
			t.Fatalf("ParseSet(%q) accepted %d values", s, len(ax.Values))
		}
		if slo, err := ParseSLO(s); err == nil && len(slo) == 0 {
			t.Fatalf("ParseSLO(%q) accepted no term", s)
		}
		if sh, err := ParseShard(s, env); err == nil && (sh.K < 1 || sh.K > sh.N) {
			t.Fatalf("ParseShard(%q) = %+v", s, sh)
		}
	})
}
