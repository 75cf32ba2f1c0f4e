package auth

import (
	"sync"
	"time"

	"huizhan/internal/web"
)

// identityTTL is how long a looked-up session is trusted without asking
// the database again. Sign-out, disabling an account and a password reset
// through this store take effect at once (they clear the cache); a change
// made behind the store's back, in the database directly, within this long.
const identityTTL = 10 * time.Second

// identityCache remembers recent session look-ups, so that a scanner
// sending thousands of requests with one token costs one query every few
// seconds rather than one per request.
type identityCache struct {
	mu      sync.Mutex
	entries map[string]cachedIdentity // by token hash
}

type cachedIdentity struct {
	id        web.Identity
	until     time.Time // trusted until
	lastSeen  time.Time // the session's last_seen_at as stored
	expiresAt time.Time
}

// maxCached bounds the cache; past it, the cache starts afresh.
const maxCached = 50_000

func newIdentityCache() *identityCache {
	return &identityCache{entries: map[string]cachedIdentity{}}
}

func (c *identityCache) get(hash string, now time.Time) (cachedIdentity, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || now.After(e.until) {
		return cachedIdentity{}, false
	}
	return e, true
}

func (c *identityCache) put(hash string, e cachedIdentity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCached {
		clear(c.entries)
	}
	c.entries[hash] = e
}

// reset forgets every entry; called on any change to sessions or accounts,
// which are rare next to requests.
func (c *identityCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}
