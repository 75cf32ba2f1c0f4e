package pairing

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"huizhan/internal/db"
)

// eventChannel is the database notification channel of live board events;
// the payload is the Event in JSON, a few hundred bytes.
const eventChannel = "pairing-live"

// Event is one message for the live board: counters after a change, and
// the change itself.
type Event struct {
	EditionID int64     `json:"edition_id"`
	Type      string    `json:"type"` // "stage" or "meeting"
	PairingID int64     `json:"pairing_id"`
	From      string    `json:"from,omitempty"`
	Stage     string    `json:"stage,omitempty"`
	Demand    string    `json:"demand,omitempty"`
	Supply    string    `json:"supply,omitempty"`
	AmountWan *Wan      `json:"amount_wan,omitempty"`
	At        time.Time `json:"at"`
}

// Broker fans events out to the live boards. Built once and given to the
// store and the handlers; no global state. A subscriber that does not keep
// up loses events rather than slowing the writers: the board fetches the
// full picture on every event it does get.
//
// A broker made by StartBroker sends events through the database's
// notification bus, so that a change made on any instance of the app
// reaches the boards of every instance (this one too, by the same path).
// NewBroker's broker reaches this process only.
type Broker struct {
	mu   sync.Mutex
	subs map[chan Event]int64 // channel -> edition

	db  *db.DB // nil: this process only
	log *slog.Logger
}

// NewBroker returns an empty broker for this process only.
func NewBroker() *Broker { return &Broker{subs: map[chan Event]int64{}} }

// StartBroker returns an empty broker whose events reach every instance
// using d. It hears other instances' events until d is closed.
func StartBroker(ctx context.Context, d *db.DB, log *slog.Logger) (*Broker, error) {
	b := NewBroker()
	b.db, b.log = d, log
	if _, err := d.Listen(ctx, eventChannel, b.heard); err != nil {
		return nil, fmt.Errorf("live pairing board: %w", err)
	}
	return b, nil
}

// Subscribe returns a channel of an edition's events and the function
// that ends the subscription.
func (b *Broker) Subscribe(editionID int64) (<-chan Event, func()) {
	ch := make(chan Event, 32)
	b.mu.Lock()
	b.subs[ch] = editionID
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.subs, ch)
		b.mu.Unlock()
	}
}

// Publish sends e to the edition's subscribers on every instance; it
// waits for the database to take the notification, not for subscribers.
// If the notification fails, this instance's subscribers still get e.
func (b *Broker) Publish(e Event) {
	if b.db == nil {
		b.deliver(e)
		return
	}
	p, err := json.Marshal(e)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = b.db.Notify(ctx, eventChannel, string(p))
		cancel()
	}
	if err != nil {
		b.log.Warn("publish live pairing event", "edition", e.EditionID, "type", e.Type, "err", err)
		b.deliver(e)
	}
}

// heard is called by the bus with an event published by any instance.
func (b *Broker) heard(payload string) {
	var e Event
	if err := json.Unmarshal([]byte(payload), &e); err != nil {
		b.log.Warn("live pairing board: bad notification", "err", err)
		return
	}
	b.deliver(e)
}

// deliver sends e to this process's subscribers of its edition without
// waiting.
func (b *Broker) deliver(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch, ed := range b.subs {
		if ed != e.EditionID {
			continue
		}
		select {
		case ch <- e:
		default:
		}
	}
}

func (s *Store) publishStage(p Pairing, from string) {
	if s.broker == nil {
		return
	}
	s.broker.Publish(Event{EditionID: p.EditionID, Type: "stage", PairingID: p.ID, From: from, Stage: p.Stage,
		Demand: p.Demand.Title, Supply: p.Supply.Title, AmountWan: p.AmountWan, At: s.now().UTC()})
}
