package lab

import (
	"fmt"
	"math/bits"
	"os"
	"strconv"
	"strings"
)

// kernelScheduler returns the app section's scheduler keys that say how
// this machine's kernel preempts the lab's page, from its release and
// its online CPUs, with the reason; "" keeps scalesim's defaults.
//
// The page burns its CPU in a loop that reads time.thread_time(), and
// each read of a thread's CPU clock brings the kernel's accounting of the
// running task up to date (task_sched_runtime calls update_curr). Under
// EEVDF (Linux 6.6 and later) that renews an expired deadline and asks
// for a reschedule, so the page is preempted as soon as its slice is
// used, not at the next tick: tick 0s. The slice is the kernel's base
// slice, 0.7 ms scaled by 1 + log2 of the online CPUs (at most 8): the
// machine's, not the one core uWSGI is pinned to. Before 6.6, CFS
// preempted at the tick, scalesim's default.
func kernelScheduler() (keys, why string) {
	rel, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "", "the kernel's release is unknown: scalesim's default scheduler"
	}
	major, minor, ok := release(string(rel))
	if !ok || major < 6 || major == 6 && minor < 6 {
		return "", fmt.Sprintf("Linux %s (CFS): preempted at the tick, scalesim's default", strings.TrimSpace(string(rel)))
	}
	cpus := onlineCPUs()
	slice := 0.7 * float64(bits.Len(uint(min(cpus, 8)))) // 1 + log2, for a power of two
	keys = fmt.Sprintf("tick: 0s, slice: %gms", slice)
	return keys, fmt.Sprintf("Linux %s (EEVDF), %d CPUs online: the page's clock reads preempt it at its %g ms slice", strings.TrimSpace(string(rel)), cpus, slice)
}

// release parses a kernel release such as 6.18.44-fc into 6 and 18.
func release(s string) (major, minor int, ok bool) {
	f := strings.SplitN(strings.TrimSpace(s), ".", 3)
	if len(f) < 2 {
		return 0, 0, false
	}
	num := func(s string) (int, bool) {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		n, err := strconv.Atoi(s[:i])
		return n, err == nil
	}
	var ok1, ok2 bool
	major, ok1 = num(f[0])
	minor, ok2 = num(f[1])
	return major, minor, ok1 && ok2
}

// onlineCPUs counts the CPUs in /sys/devices/system/cpu/online ("0-1",
// "0,2-3"), as the kernel's num_online_cpus; 1 if it cannot be read.
func onlineCPUs() int {
	b, err := os.ReadFile("/sys/devices/system/cpu/online")
	if err != nil {
		return 1
	}
	n := 0
	for _, part := range strings.Split(strings.TrimSpace(string(b)), ",") {
		lo, hi, found := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(lo)
		if !found {
			if err1 == nil {
				n++
			}
			continue
		}
		z, err2 := strconv.Atoi(hi)
		if err1 == nil && err2 == nil && z >= a {
			n += z - a + 1
		}
	}
	return max(n, 1)
}
