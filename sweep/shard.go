package sweep

import (
	"fmt"
	"strconv"
	"strings"

	"scalesim/topology"
)

// Shard is the K-th (1-based) of N fixed interleaved parts of a grid:
// the points whose index i has i mod N = K-1. Every seed of a point is
// in the same shard, so that a shard can summarise its points.
type Shard struct{ K, N int }

// Has reports whether point i is in the shard.
func (s Shard) Has(i int) bool { return s.N <= 1 || i%s.N == s.K-1 }

// ParseShard reads K/N, or the index a batch scheduler gives the
// process: k8s/N reads JOB_COMPLETION_INDEX (0-based) of a Kubernetes
// Indexed Job of N completions; slurm reads SLURM_ARRAY_TASK_ID,
// SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT of a Slurm array
// (slurm/N gives N itself). getenv reads the environment.
func ParseShard(s string, getenv func(string) string) (Shard, error) {
	hint := "write K/N (1 ≤ K ≤ N) such as 2/4, k8s/N for a Kubernetes Indexed Job, or slurm for a Slurm array"
	bad := func(format string, args ...any) error {
		return &topology.Error{File: "--shard " + strconv.Quote(s), Msg: fmt.Sprintf(format, args...), Hint: hint}
	}
	k, n, hasN := strings.Cut(s, "/")
	atoi := func(what, v string) (int, error) {
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, bad("%s %q is not a whole number", what, v)
		}
		return i, nil
	}
	var sh Shard
	var err error
	if hasN {
		if sh.N, err = atoi("N", n); err != nil {
			return Shard{}, err
		}
	}
	switch k {
	case "k8s":
		v := getenv("JOB_COMPLETION_INDEX")
		if v == "" {
			return Shard{}, bad("JOB_COMPLETION_INDEX is not set: this is not a pod of an Indexed Job")
		}
		if !hasN {
			return Shard{}, bad("give the Job's completions: --shard k8s/N")
		}
		i, err := atoi("JOB_COMPLETION_INDEX", v)
		if err != nil {
			return Shard{}, err
		}
		sh.K = i + 1
	case "slurm":
		v := getenv("SLURM_ARRAY_TASK_ID")
		if v == "" {
			return Shard{}, bad("SLURM_ARRAY_TASK_ID is not set: this is not a task of a Slurm array (sbatch --array)")
		}
		id, err := atoi("SLURM_ARRAY_TASK_ID", v)
		if err != nil {
			return Shard{}, err
		}
		lo := 0
		if m := getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
			if lo, err = atoi("SLURM_ARRAY_TASK_MIN", m); err != nil {
				return Shard{}, err
			}
		}
		if !hasN {
			c := getenv("SLURM_ARRAY_TASK_COUNT")
			if c == "" {
				return Shard{}, bad("SLURM_ARRAY_TASK_COUNT is not set; give N: --shard slurm/N")
			}
			if sh.N, err = atoi("SLURM_ARRAY_TASK_COUNT", c); err != nil {
				return Shard{}, err
			}
		}
		sh.K = id - lo + 1
	default:
		if !hasN {
			return Shard{}, bad("expected K/N")
		}
		if sh.K, err = atoi("K", k); err != nil {
			return Shard{}, err
		}
	}
	if sh.N < 1 || sh.K < 1 || sh.K > sh.N {
		return Shard{}, bad("shard %d of %d does not exist", sh.K, sh.N)
	}
	return sh, nil
}
