package auth

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiterBlocksAfterMax(t *testing.T) {
	c := newClock()
	l := newLimiter(3, time.Minute, c.Now)
	for i := range 3 {
		if l.blocked("1.2.3.4") {
			t.Fatalf("blocked after %d failures, max is 3", i)
		}
		l.fail("1.2.3.4", "")
		c.Add(time.Second)
	}
	if !l.blocked("1.2.3.4") {
		t.Fatal("not blocked after 3 failures within the window")
	}
	// Asking again does not change the answer, and other keys are apart.
	if !l.blocked("1.2.3.4") {
		t.Error("blocked is not stable")
	}
	if l.blocked("5.6.7.8") || l.blocked("") {
		t.Error("another key is blocked")
	}
}

func TestLimiterWindowSlides(t *testing.T) {
	c := newClock()
	start := c.Now()
	l := newLimiter(3, time.Minute, c.Now)
	// Failures at 0s, 20s and 40s.
	for range 3 {
		l.fail("zhangsan", "")
		c.Add(20 * time.Second)
	}
	tests := []struct {
		at      time.Duration // since the first failure
		blocked bool
	}{
		{50 * time.Second, true},
		{61 * time.Second, false}, // the first failure has left the window
		{79 * time.Second, false},
		{81 * time.Second, false}, // only the 40s failure is left
		{101 * time.Second, false},
	}
	for _, tt := range tests {
		c.t = start.Add(tt.at)
		if got := l.blocked("zhangsan"); got != tt.blocked {
			t.Errorf("blocked at %v = %v, want %v", tt.at, got, tt.blocked)
		}
	}

	// After the window every failure has gone: it takes max new ones.
	l.fail("zhangsan", "")
	l.fail("zhangsan", "")
	if l.blocked("zhangsan") {
		t.Error("blocked after 2 fresh failures")
	}
	l.fail("zhangsan", "")
	if !l.blocked("zhangsan") {
		t.Error("not blocked after 3 fresh failures")
	}
	c.Add(time.Minute + time.Second)
	if l.blocked("zhangsan") {
		t.Error("still blocked after the window passed")
	}
	if len(l.fails) != 0 {
		t.Errorf("expired failures kept: %v", l.fails)
	}
}

func TestLimiterReset(t *testing.T) {
	c := newClock()
	l := newLimiter(2, time.Hour, c.Now)
	l.fail("a", "")
	l.fail("a", "")
	l.fail("b", "")
	l.fail("b", "")
	if !l.blocked("a") || !l.blocked("b") {
		t.Fatal("not blocked after max failures")
	}
	l.reset("a")
	if l.blocked("a") {
		t.Error("still blocked after reset")
	}
	if !l.blocked("b") {
		t.Error("reset of a unblocked b")
	}
	// After a reset the count starts again from nothing.
	l.fail("a", "")
	if l.blocked("a") {
		t.Error("blocked after one failure following reset")
	}
	l.fail("a", "")
	if !l.blocked("a") {
		t.Error("not blocked after max failures following reset")
	}
	l.reset("never-failed") // harmless
}

// TestSignInGuard: ten wrong passwords from one address slow that address
// down for that account only; the account stays open to everyone else,
// and is locked for all only on failures from several addresses, which an
// organiser can lift at once.
func TestSignInGuard(t *testing.T) {
	c := newClock()
	g := newSignInGuard(c.Now)
	for range 10 {
		g.failed("10.0.0.66", "organiser")
	}
	if g.allowed("10.0.0.66", "organiser") {
		t.Error("the guessing address is not slowed down")
	}
	if !g.allowed("10.0.0.1", "organiser") || g.locked("organiser") {
		t.Fatal("ten wrong tries from one address locked the organiser out everywhere")
	}
	if !g.allowed("10.0.0.66", "staff") {
		t.Error("the address is blocked for another account after ten failures")
	}
	// Many more from one address still lock nobody else out.
	for range 40 {
		g.failed("10.0.0.66", "organiser")
	}
	if !g.allowed("10.0.0.1", "organiser") {
		t.Error("failures from one address locked the account")
	}
	if g.allowed("10.0.0.66", "staff") {
		t.Error("an address failing 50 times is not blocked altogether")
	}
	// Failures from several addresses are evidence: the account locks.
	for i := range 30 {
		g.failed(fmt.Sprintf("10.0.1.%d", i%5), "organiser")
	}
	if !g.locked("organiser") || g.allowed("10.0.0.1", "organiser") {
		t.Fatal("failures from five addresses did not lock the account")
	}
	g.unlock("organiser")
	if g.locked("organiser") || !g.allowed("10.0.0.1", "organiser") || !g.allowed("10.0.1.1", "organiser") {
		t.Error("unlock did not open the account again")
	}
	if g.allowed("10.0.0.66", "organiser") {
		t.Error("unlocking the account also unblocked the address that failed 50 times")
	}
	// The lock ends by itself after the window.
	for i := range 30 {
		g.failed(fmt.Sprintf("10.0.2.%d", i%3), "leader")
	}
	c.Add(guardMinutes*time.Minute + time.Second)
	if g.locked("leader") {
		t.Error("the lock outlived its window")
	}
}
