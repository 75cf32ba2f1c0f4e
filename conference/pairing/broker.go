package pairing

import (
	"sync"
	"time"
)

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
	AmountWan *float64  `json:"amount_wan,omitempty"`
	At        time.Time `json:"at"`
}

// Broker fans events out to the live boards of this process. Built once
// and given to the store and the handlers; no global state. A subscriber
// that does not keep up loses events rather than slowing the writers: the
// board fetches the full picture on every event it does get.
type Broker struct {
	mu   sync.Mutex
	subs map[chan Event]int64 // channel -> edition
}

// NewBroker returns an empty broker.
func NewBroker() *Broker { return &Broker{subs: map[chan Event]int64{}} }

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

// Publish sends e to the edition's subscribers without waiting.
func (b *Broker) Publish(e Event) {
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
