package sim

// A nogil step is CPU time in C code that lets go of the GIL around it,
// as CPython's Py_BEGIN_ALLOW_THREADS does around a system call: a write
// to a file (a log line's flush) or to a socket (uWSGI's write of the
// response, which its python plugin wraps in UWSGI_RELEASE_GIL and
// UWSGI_GET_GIL). Its thread needs a core but not the GIL, so the other
// threads of its worker run Python meanwhile; it is cpu for sync and
// gevent workers (a greenlet's C code holds the process's one thread).
//
// A thread reaches it from Python: after a cpu step it has let go of the
// GIL (the cpu step's end signalled a waiter, which may preempt it, and
// then the write waits for a core); after a wait it first takes the GIL
// back (goOnFromWait), as any return into Python does. After it the
// thread is back in Python and takes the GIL back before its next step
// but a cpu step (goOnFromWait again). The last nogil step of a request
// is its response's write: the answer has left when it ends, and the
// request ends there; what uWSGI does after the write (it takes the GIL
// back to free the request's environ, then lets it go before it accepts
// the next request) is left out.

// nogilDone: request id's nogil step has had all its CPU; its thread is
// back in Python.
func (s *Sim) nogilDone(id int32) {
	r := &s.reqs[id]
	r.nogil = false
	r.pc++
	if int(r.pc) >= len(s.progs[r.prog].ops) {
		s.step(id) // the response is written: the request ends
		return
	}
	s.goOnFromWait(id)
}
