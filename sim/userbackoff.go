package sim

import "time"

// A closed workload's user is a client in a loop: it sends, waits for
// the answer, thinks, sends again. Without think time it would send again
// the moment an error came back, and a request refused at the door (the
// backlog full, no node up) takes no simulated time: a refused user would
// be refused again and again at the same instant, and the clock would
// crawl (a million users took 20 s for 49 ms). A real client does not do
// that: the 503 or the reset connection takes a round trip, and a client
// that meets errors backs off before it tries again, longer after each
// error in a row. Linux retransmits a SYN that a full backlog dropped
// after 1 s, then 2 s, 4 s; gRPC reconnects after 1 s, 1.6 times longer
// each try, with 20% jitter; HTTP libraries' retries (urllib3's Retry,
// the AWS SDKs) back off exponentially, with jitter.
//
// scalesim's user does the same. After an error (its request dropped,
// failed or abandoned) that no retry of its client's policy followed, a
// user without think time waits a draw between half and all of a
// back-off that starts at backoffFirst, a round trip's worth, and doubles
// with each such error in a row to at most backoffMax; its next answer
// ends the run of errors. The draw spreads users refused at the same
// instant, who would otherwise all come back together, a thundering herd
// of the simulation's making. So a user is refused at most a dozen times
// in its first second of errors and then at most twice a simulated
// second: a run's cost per simulated second is bounded by its users,
// however full its backlog. A class with `client.retry` backs off as its
// policy says; a user whose request was retried and still failed sends
// again at once. A request answered at the very instant it was sent (one
// of no work) waits backoffFirst too, so that time moves on.
const (
	backoffFirst = int64(time.Millisecond)
	backoffMax   = int64(time.Second)
)

// userBackoff is how long user i of pop, without think time, waits
// before it sends again, after request serial, sent at time sent, ended
// with an error it was not retried after (failed) or not.
func (s *Sim) userBackoff(pop *population, i int, sent int64, serial uint64, failed bool) int64 {
	if !failed {
		pop.errs[i] = 0
		if sent == s.now {
			return backoffFirst
		}
		return 0
	}
	n := pop.errs[i]
	if n < 255 {
		pop.errs[i]++
	}
	b := backoffMax
	if n < 10 { // 1ms << 10 is past backoffMax
		b = min(backoffFirst<<n, backoffMax)
	}
	u := s.backoffRN.at(serial, 0).Float64()
	return b/2 + int64(u*float64(b-b/2))
}
