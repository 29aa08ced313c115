package ui

import (
	"sync"
	"time"
)

// stopper is how a goroutine that owns simulations (a runner, a pair
// runner) is stopped: Close asks it to stop and waits until it has, for
// at most closeWait; the goroutine looks at stopping between chunks of
// work and closes done when it returns.
type stopper struct {
	quit     chan struct{}
	done     chan struct{}
	quitOnce sync.Once
}

func newStopper() stopper {
	return stopper{quit: make(chan struct{}), done: make(chan struct{})}
}

// Close stops the goroutine and waits for it, for at most closeWait (a
// chunk takes a few milliseconds; should one take longer, Close returns
// anyway and the program ends without it); later calls return at once.
func (s *stopper) Close() {
	s.quitOnce.Do(func() {
		close(s.quit)
		t := time.NewTimer(closeWait)
		defer t.Stop()
		select {
		case <-s.done:
		case <-t.C:
		}
	})
}

// stopping reports whether Close was called.
func (s *stopper) stopping() bool {
	select {
	case <-s.quit:
		return true
	default:
		return false
	}
}
