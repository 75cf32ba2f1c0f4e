package auth

import (
	"sync"
	"time"
)

// limiter counts failed sign-ins per key (an IP address or a username) in
// a sliding window. It lives in memory: a restart forgets, which is fine for
// slowing down password guessing.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	fails  map[string][]time.Time
	swept  time.Time // when stale keys were last dropped
}

func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, window: window, now: now, fails: map[string][]time.Time{}}
}

// blocked reports whether key has used up its failures in the window.
func (l *limiter) blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(key)) >= l.max
}

// fail records one failure for key.
func (l *limiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[key] = append(l.recent(key), l.now())
	// Drop stale keys at most once a window, so memory stays bounded by
	// the keys seen in one window without a sweep on every failure.
	if now := l.now(); now.Sub(l.swept) > l.window {
		l.swept = now
		for k := range l.fails {
			l.recent(k)
		}
	}
}

// reset forgets key's failures, after a successful sign-in.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

// recent drops failures older than the window; the caller holds mu.
func (l *limiter) recent(key string) []time.Time {
	ts := l.fails[key]
	cut := l.now().Add(-l.window)
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	if i == len(ts) {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts[i:]
	return ts[i:]
}
