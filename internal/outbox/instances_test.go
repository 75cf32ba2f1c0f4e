package outbox

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
)

// Two instances on one PostgreSQL database share the outbox: each message
// reaches the SMTP server exactly once.
func TestTwoInstancesDeliverOnce(t *testing.T) {
	if os.Getenv(dbtest.PostgresEnv) == "" {
		t.Skip("instances share a database only on PostgreSQL: set " + dbtest.PostgresEnv)
	}
	dsn := dbtest.DSN(t)
	open := func() *db.DB {
		d, err := db.Open(dsn, db.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if err := d.Migrate(context.Background(), Migrations()); err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, _ := newOutboxOn(t, open())
	b, _ := newOutboxOn(t, open())
	a.now, b.now = time.Now, time.Now
	ms := startMailServer(t, nil)
	const n = 600
	msgs := make([]Message, n)
	for i := range msgs {
		msgs[i] = mailTo(fmt.Sprintf("two-%d", i), fmt.Sprintf("p%d@hz.example", i), "zh-CN")
	}
	enqueue(t, a, msgs...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sa := smtpSender(t, a, ms, SenderOptions{Instance: "a", Batch: 8, Poll: 20 * time.Millisecond})
	sb := smtpSender(t, b, ms, SenderOptions{Instance: "b", Batch: 8, Poll: 20 * time.Millisecond})
	done := make(chan struct{}, 2)
	for _, s := range []*Sender{sa, sb} {
		go func() { s.Run(ctx); done <- struct{}{} }()
	}
	for len(ms.Received()) < n && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a duplicate would arrive now
	cancel()
	<-done
	<-done
	seen := map[string]int{}
	for _, m := range ms.Received() {
		seen[m.Key()]++
	}
	for i := range n {
		if k := fmt.Sprintf("two-%d", i); seen[k] != 1 {
			t.Errorf("%s delivered %d times", k, seen[k])
		}
	}
	var byInstance []struct {
		Instance string `db:"instance"`
		N        int    `db:"n"`
	}
	a.db.R.Select(&byInstance, `SELECT instance, COUNT(*) AS n FROM outbox_attempts GROUP BY instance ORDER BY instance`)
	t.Logf("attempts by instance: %+v", byInstance)
	if len(byInstance) != 2 {
		t.Errorf("one instance did all the work: %+v", byInstance)
	}
}
