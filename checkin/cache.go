package checkin

import (
	"math"
	"sync"
	"time"
)

// known is what the server remembers about a code it has verified.
type known struct {
	attendee Brief
	edition  int64
	days     uint8
	revoked  bool
	pending  bool // not approved yet (pending or waiting)
}

// codeCache maps badge codes to what their first verification found, so
// that later scans of the same badge skip the Ed25519 check and the
// attendee lookup. It is bounded: when full, an arbitrary eighth of the
// entries goes (Go's map order is random), which costs those codes one
// more verification each.
type codeCache struct {
	mu    sync.RWMutex
	max   int
	m     map[string]known
	epoch uint64 // bumped by forget; see put
}

func newCodeCache(max int) *codeCache {
	return &codeCache{max: max, m: make(map[string]known)}
}

func (c *codeCache) get(code string) (known, bool, uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	k, ok := c.m[code]
	return k, ok, c.epoch
}

// put remembers code unless a forget happened since epoch was read: the
// lookup that produced k may then predate a reissue.
func (c *codeCache) put(code string, k known, epoch uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	if len(c.m) >= c.max {
		n := c.max / 8
		for key := range c.m {
			if n--; n < 0 {
				break
			}
			delete(c.m, key)
		}
	}
	c.m[code] = k
}

func (c *codeCache) forget(code string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	delete(c.m, code)
}

// boundedMap is a map for concurrent use that holds at most max entries:
// when full, an arbitrary eighth goes to make room. It serves caches where
// a miss only costs the work of filling the entry again.
type boundedMap[K comparable, V any] struct {
	mu  sync.Mutex
	max int
	m   map[K]V
}

func newBoundedMap[K comparable, V any](max int) *boundedMap[K, V] {
	return &boundedMap[K, V]{max: max, m: make(map[K]V)}
}

func (c *boundedMap[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *boundedMap[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		n := c.max / 8
		for key := range c.m {
			if n--; n < 0 {
				break
			}
			delete(c.m, key)
		}
	}
	c.m[k] = v
}

func (c *boundedMap[K, V]) forget(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}

// pngCache keeps rendered badge QR images by code: an image changes only
// when the code does (reissue).
type pngCache = boundedMap[string, []byte]

// pointCache keeps checkpoints and staff limits, read on every scan; any
// change to either clears it.
type pointCache struct {
	mu     sync.RWMutex
	points map[int64]Checkpoint
	staff  map[int64][]int64 // user → checkpoints; nil slice = not limited
	booths map[int64]boothBinding
}

// boothBinding is a staff account's booth, remembered briefly: the binding
// lives in the booths package and changes without telling us.
type boothBinding struct {
	booth int64
	ok    bool
	at    time.Time
}

// boothBindingTTL is how long a booth binding is trusted on the scan path.
const boothBindingTTL = 10 * time.Second

func newPointCache() *pointCache {
	return &pointCache{points: map[int64]Checkpoint{}, staff: map[int64][]int64{}, booths: map[int64]boothBinding{}}
}

func (c *pointCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.points = map[int64]Checkpoint{}
	c.staff = map[int64][]int64{}
	c.booths = map[int64]boothBinding{}
}

// forgeLimiter is a token bucket per scanner (account and address) that
// only forged codes draw from. When it is empty, codes the server does not
// already know are refused before any signature check, so one device
// spraying garbage costs the server almost nothing and other gates go on.
type forgeLimiter struct {
	mu      sync.Mutex
	burst   float64
	refill  time.Duration // one token back per refill
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newForgeLimiter(burst int, refill time.Duration, now func() time.Time) *forgeLimiter {
	return &forgeLimiter{burst: float64(burst), refill: refill, now: now, buckets: map[string]*bucket{}}
}

func (l *forgeLimiter) level(key string) *bucket {
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) > 50_000 {
			l.buckets = map[string]*bucket{} // a flood of keys: start over
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.refill))
	b.at = now
	return b
}

// blocked reports whether key has no tokens left.
func (l *forgeLimiter) blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.level(key).tokens < 1
}

// forged takes one token from key and returns how many of the burst are
// used: the forged codes of key in the current flood, this one included.
func (l *forgeLimiter) forged(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.level(key)
	b.tokens--
	return int(math.Round(l.burst - b.tokens))
}
