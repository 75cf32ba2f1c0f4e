package checkin

import (
	"sync"
	"time"
)

// addrLimiter allows each client address a number of attempts per window
// (a fixed window from the first attempt). Public registration counts
// every attempt, refused or not, so that nobody can try phone numbers in
// bulk to learn who is registered.
type addrLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	seen   map[string]*addrWindow
}

type addrWindow struct {
	start time.Time
	n     int
}

// Registration attempts allowed per client address: a venue's Wi-Fi puts
// many people behind one address, so the limit stops scripts, not a queue
// at the door (which the help desk serves).
const (
	registerMax    = 30
	registerWindow = 10 * time.Minute
)

func newAddrLimiter(max int, window time.Duration, now func() time.Time) *addrLimiter {
	return &addrLimiter{max: max, window: window, now: now, seen: map[string]*addrWindow{}}
}

// take counts an attempt from addr; when the address has used up its
// window, ok is false and wait says when it may try again.
func (l *addrLimiter) take(addr string) (ok bool, wait time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) > 100_000 {
		for k, w := range l.seen {
			if now.Sub(w.start) >= l.window {
				delete(l.seen, k)
			}
		}
	}
	w := l.seen[addr]
	if w == nil || now.Sub(w.start) >= l.window {
		w = &addrWindow{start: now}
		l.seen[addr] = w
	}
	if w.n >= l.max {
		return false, w.start.Add(l.window).Sub(now)
	}
	w.n++
	return true, 0
}
