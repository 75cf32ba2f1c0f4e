package auth

import (
	"strings"
	"sync"
	"time"
)

// limiter counts failed sign-ins per key (an IP address, a username, or
// both) in a sliding window, remembering where each came from. It lives in
// memory: a restart forgets, which is fine for slowing down password
// guessing.
type limiter struct {
	mu      sync.Mutex
	max     int
	sources int // distinct sources needed before a key is blocked (1: any)
	window  time.Duration
	now     func() time.Time
	fails   map[string][]failure
	swept   time.Time // when stale keys were last dropped
}

type failure struct {
	at   time.Time
	from string
}

func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, sources: 1, window: window, now: now, fails: map[string][]failure{}}
}

// blocked reports whether key has used up its failures in the window,
// from at least l.sources distinct sources.
func (l *limiter) blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	fs := l.recent(key)
	if len(fs) < l.max {
		return false
	}
	if l.sources <= 1 {
		return true
	}
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.from] = true
	}
	return len(seen) >= l.sources
}

// fail records one failure for key, coming from from.
func (l *limiter) fail(key, from string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[key] = append(l.recent(key), failure{at: l.now(), from: from})
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

// resetWhere forgets the failures of every key that match says yes to.
func (l *limiter) resetWhere(match func(key string) bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.fails {
		if match(k) {
			delete(l.fails, k)
		}
	}
}

// recent drops failures older than the window; the caller holds mu.
func (l *limiter) recent(key string) []failure {
	ts := l.fails[key]
	cut := l.now().Add(-l.window)
	i := 0
	for i < len(ts) && ts[i].at.Before(cut) {
		i++
	}
	if i == len(ts) {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts[i:]
	return ts[i:]
}

// signInGuard slows password guessing without handing anyone a way to
// lock an account out. An address that keeps failing for one account is
// slowed down (blocked for that account), an address that fails for many
// is blocked altogether, and an account is locked for everyone only with
// evidence from several addresses: ten wrong tries from one laptop must
// not keep the organiser out for fifteen minutes. An organiser can unlock
// an account at once.
type signInGuard struct {
	byAddr *limiter // one address, any account
	byPair *limiter // one address, one account
	byUser *limiter // one account, several addresses
}

func newSignInGuard(now func() time.Time) *signInGuard {
	byUser := newLimiter(30, 15*time.Minute, now)
	byUser.sources = 3
	return &signInGuard{
		byAddr: newLimiter(30, 15*time.Minute, now),
		byPair: newLimiter(10, 15*time.Minute, now),
		byUser: byUser,
	}
}

// Minutes is how long a block lasts, for the message.
const guardMinutes = 15

func pairKey(addr, user string) string { return user + "\x00" + addr }

func (g *signInGuard) allowed(addr, user string) bool {
	return !g.byAddr.blocked(addr) && !g.byPair.blocked(pairKey(addr, user)) && !g.byUser.blocked(user)
}

func (g *signInGuard) failed(addr, user string) {
	g.byAddr.fail(addr, "")
	g.byPair.fail(pairKey(addr, user), "")
	g.byUser.fail(user, addr)
}

func (g *signInGuard) succeeded(addr, user string) {
	g.byPair.reset(pairKey(addr, user))
}

// locked reports whether user is locked for everyone.
func (g *signInGuard) locked(user string) bool { return g.byUser.blocked(user) }

// unlock lets user sign in again from every address.
func (g *signInGuard) unlock(user string) {
	g.byUser.reset(user)
	g.byPair.resetWhere(func(k string) bool { return strings.HasPrefix(k, user+"\x00") })
}
