package checkin

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"huizhan/internal/db"
)

// liveChannel is the database notification channel of committed scans;
// its payload is the edition ID.
const liveChannel = "checkin-live"

// hub tells live views that an edition's scans changed. It carries no
// data: a view that hears of a change reads the counters again, at most
// once a second, so a burst of scans costs one query per view.
//
// Changes travel through the database's notification bus, so that a scan
// committed by any instance of the app wakes the views of every instance
// (this one too, by the same path): bump queues the edition, a goroutine
// sends the notification off the scan writer's path, and heard wakes the
// local waiters when it comes back.
type hub struct {
	db  *db.DB
	log *slog.Logger

	mu        sync.Mutex
	waiters   map[int64][]chan struct{}
	pending   map[int64]bool // bumped, not yet notified
	listening bool           // false: the bus could not be joined; wake locally
	stopBus   func()

	kick chan struct{} // wakes the notifier; holds at most one wake-up
	quit chan struct{}
	done chan struct{}
	once sync.Once // stop may be called more than once (Store.Close is)
}

// startHub joins the notification bus and starts the notifier. If the bus
// cannot be joined the hub still wakes this instance's views.
func startHub(d *db.DB, log *slog.Logger) *hub {
	h := &hub{db: d, log: log, waiters: map[int64][]chan struct{}{}, pending: map[int64]bool{},
		kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stop, err := d.Listen(ctx, liveChannel, h.heard)
	if err != nil {
		log.Error("live check-in counters: other instances' scans will not show here", "err", err)
	} else {
		h.listening, h.stopBus = true, stop
	}
	go h.notify()
	return h
}

// bump records that an edition's scans changed; it never waits.
func (h *hub) bump(edition int64) {
	h.mu.Lock()
	h.pending[edition] = true
	h.mu.Unlock()
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// notify sends one notification per bumped edition, however many bumps
// arrived while the last ones were being sent.
func (h *hub) notify() {
	defer close(h.done)
	for {
		select {
		case <-h.kick:
			h.flush()
		case <-h.quit:
			h.flush()
			return
		}
	}
}

func (h *hub) flush() {
	h.mu.Lock()
	pending, listening := h.pending, h.listening
	h.pending = map[int64]bool{}
	h.mu.Unlock()
	for e := range pending {
		if !listening {
			h.wake(e)
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := h.db.Notify(ctx, liveChannel, strconv.FormatInt(e, 10))
		cancel()
		if err != nil {
			// This instance's views at least.
			h.log.Warn("notify live check-in counters", "edition", e, "err", err)
			h.wake(e)
		}
	}
}

// heard is called by the bus with the edition of a committed scan.
func (h *hub) heard(payload string) {
	e, err := strconv.ParseInt(payload, 10, 64)
	if err != nil {
		h.log.Warn("live check-in counters: bad notification", "payload", payload)
		return
	}
	h.wake(e)
}

// wake closes the edition's waiting channels.
func (h *hub) wake(edition int64) {
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

// stop sends what is pending and leaves the bus. Call it after the scan
// writer has stopped, so no bump comes later.
func (h *hub) stop() {
	h.once.Do(func() {
		close(h.quit)
		<-h.done
		if h.stopBus != nil {
			h.stopBus()
		}
	})
}
