package pairing

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
)

// Two instances on one database: an event published on one reaches the
// other's subscribers of that edition, whole, and no other edition's.
func TestBrokerReachesOtherInstances(t *testing.T) {
	dsn := dbtest.DSN(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	start := func() *Broker {
		d, err := db.Open(dsn, db.Options{Readers: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		b, err := StartBroker(context.Background(), d, log)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := start(), start()
	if !db.IsPostgresURL(dsn) {
		// On SQLite one process owns the file: the "other instance" is this
		// process, and only a's own subscribers hear a.
		b = a
	}
	events, cancel := b.Subscribe(7)
	defer cancel()
	other, cancelOther := b.Subscribe(8)
	defer cancelOther()

	amount := WanOf(120.5)
	sent := Event{EditionID: 7, Type: "stage", PairingID: 3, From: "contacted", Stage: "signed",
		Demand: "需求", Supply: "供给", AmountWan: &amount, At: time.Date(2024, 1, 19, 6, 0, 0, 0, time.UTC)}
	a.Publish(sent)
	select {
	case got := <-events:
		want, _ := json.Marshal(sent)
		if g, _ := json.Marshal(got); string(g) != string(want) {
			t.Errorf("heard %s, want %s", g, want)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no event")
	}
	select {
	case e := <-other:
		t.Errorf("edition 8 heard %+v", e)
	default:
	}
}
