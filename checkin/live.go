package checkin

import (
	"sync"
)

// hub tells live views that an edition's scans changed. It carries no
// data: a view that hears of a change reads the counters again, at most
// once a second, so a burst of scans costs one query per view.
type hub struct {
	mu      sync.Mutex
	waiters map[int64][]chan struct{}
}

func newHub() *hub {
	return &hub{waiters: map[int64][]chan struct{}{}}
}

func (h *hub) bump(edition int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.waiters[edition] {
		close(c)
	}
	delete(h.waiters, edition)
}

// changed returns a channel closed at the edition's next change.
func (h *hub) changed(edition int64) <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := make(chan struct{})
	h.waiters[edition] = append(h.waiters[edition], c)
	return c
}
