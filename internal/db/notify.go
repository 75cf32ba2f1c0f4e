package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The notification bus tells every process using the database that
// something changed (a scan was committed, a pairing moved), so that live
// views served by any instance can refresh. Payloads are small strings,
// typically an edition ID; a listener reads what it needs from the database.
//
// On SQLite one process owns the file, so Notify calls this process's
// listeners directly. On PostgreSQL Notify is pg_notify and every DB keeps
// one dedicated connection that LISTENs: a notification reaches the
// listeners of every instance, this one included, through that one path.
//
// All channels of a DB travel over one PostgreSQL channel named after the
// schema (pgChannelSQL), with the bus channel in front of the payload.
// Keying on the schema keeps deployments, and parallel tests, that share a
// server but not a schema from hearing each other; and a single LISTEN
// means adding a listener never has to interrupt the listening connection.
//
// A notification sent while the listening connection is down (between a
// dropped connection and its replacement) is lost; delivery is "at most
// once", which live views can afford because they re-read state on the
// next change.

// pgChannelSQL names the PostgreSQL channel of the current schema; at most
// 63 bytes, as PostgreSQL truncates longer names in LISTEN but refuses
// them in pg_notify.
const pgChannelSQL = `left('huizhan.' || current_schema(), 63)`

// Timing of the listening connection.
const (
	listenConnectTimeout = 10 * time.Second
	// An idle connection is pinged this often: a server that vanished
	// without closing the socket is otherwise noticed only after the
	// kernel's keepalive gives up, many minutes later.
	listenIdlePing    = 30 * time.Second
	listenPingTimeout = 5 * time.Second
	listenMinBackoff  = 100 * time.Millisecond
	listenMaxBackoff  = 5 * time.Second
)

// bus holds a DB's listeners and the state of its listening connection.
// Its zero value is ready to use.
type bus struct {
	mu      sync.Mutex
	subs    map[string]map[*subscriber]struct{} // bus channel -> listeners
	log     *slog.Logger
	closed  bool
	started bool
	up      bool               // the connection is LISTENing
	ready   chan struct{}      // closed while up; replaced when the connection is lost
	lastErr error              // why the connection last failed
	cancel  context.CancelFunc // stops the listening goroutine
	done    chan struct{}      // closed when that goroutine has returned
}

type subscriber struct{ fn func(payload string) }

// SetNotifyLog sets where the PostgreSQL listening connection reports that
// it was lost and is reconnecting; nothing is logged without it.
func (d *DB) SetNotifyLog(log *slog.Logger) {
	d.bus.mu.Lock()
	defer d.bus.mu.Unlock()
	d.bus.log = log
}

// Notify sends payload to the listeners of channel in every process using
// the database. On PostgreSQL they hear it asynchronously, after Notify
// returns; payloads must stay under PostgreSQL's 8000 bytes. On SQLite
// the listeners run before Notify returns.
func (d *DB) Notify(ctx context.Context, channel, payload string) error {
	if err := checkChannel(channel); err != nil {
		return err
	}
	if d.dialect != Postgres {
		d.bus.deliver(channel, payload)
		return nil
	}
	if _, err := d.W.ExecContext(ctx, `SELECT pg_notify(`+pgChannelSQL+`, ?)`, channel+" "+payload); err != nil {
		return fmt.Errorf("notify %s: %w", channel, err)
	}
	return nil
}

// Listen calls fn with the payload of every notification on channel until
// stop is called or the DB is closed. fn must not block: it runs on the
// goroutine that reads notifications (on SQLite, on Notify's caller).
//
// On PostgreSQL Listen returns once the listening connection is up, so a
// Notify after Listen returns is heard; if it cannot connect before ctx
// ends, Listen fails with the reason.
func (d *DB) Listen(ctx context.Context, channel string, fn func(payload string)) (stop func(), err error) {
	if err := checkChannel(channel); err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, fmt.Errorf("listen %s: no function", channel)
	}
	s := &subscriber{fn: fn}
	ready, done, err := d.bus.add(channel, s, d.dialect == Postgres, d.listen)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", channel, err)
	}
	stop = func() { d.bus.remove(channel, s) }
	if ready == nil {
		return stop, nil
	}
	select {
	case <-ready:
		return stop, nil
	case <-done:
		stop()
		return nil, fmt.Errorf("listen %s: database closed", channel)
	case <-ctx.Done():
		stop()
		return nil, fmt.Errorf("listen %s: %w", channel, errors.Join(ctx.Err(), d.bus.err()))
	}
}

// checkChannel keeps channel names to plain words, so that on PostgreSQL
// the first space of a payload ends the channel.
func checkChannel(channel string) error {
	if channel == "" || len(channel) > 64 {
		return fmt.Errorf("notification channel %q: empty or too long", channel)
	}
	for _, r := range channel {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-:", r)
		if !ok {
			return fmt.Errorf("notification channel %q: only letters, digits and . _ - :", channel)
		}
	}
	return nil
}

// add registers s. With listening set it starts the listening goroutine
// on first use and returns the channel that is closed once it is up, and
// the one closed when it has stopped.
func (b *bus) add(channel string, s *subscriber, listening bool, run func(context.Context)) (ready, done <-chan struct{}, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, nil, errors.New("database closed")
	}
	if b.subs == nil {
		b.subs = map[string]map[*subscriber]struct{}{}
	}
	if b.subs[channel] == nil {
		b.subs[channel] = map[*subscriber]struct{}{}
	}
	b.subs[channel][s] = struct{}{}
	if !listening {
		return nil, nil, nil
	}
	if !b.started {
		ctx, cancel := context.WithCancel(context.Background())
		b.started, b.cancel = true, cancel
		b.ready, b.done = make(chan struct{}), make(chan struct{})
		go func() {
			defer close(b.done)
			run(ctx)
		}()
	}
	return b.ready, b.done, nil
}

func (b *bus) remove(channel string, s *subscriber) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs[channel], s)
	if len(b.subs[channel]) == 0 {
		delete(b.subs, channel)
	}
}

// deliver calls channel's listeners, outside the lock so that a listener
// may itself listen or stop.
func (b *bus) deliver(channel, payload string) {
	b.mu.Lock()
	fns := make([]func(string), 0, len(b.subs[channel]))
	for s := range b.subs[channel] {
		fns = append(fns, s.fn)
	}
	b.mu.Unlock()
	for _, fn := range fns {
		fn(payload)
	}
}

// close stops the listening goroutine, if any, and waits for it.
func (b *bus) close() {
	b.mu.Lock()
	b.closed = true
	cancel, done := b.cancel, b.done
	b.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

func (b *bus) err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lastErr
}

// listening records that the connection is up and LISTENing.
func (b *bus) listening() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.up, b.lastErr = true, nil
	close(b.ready)
}

// lost records that the connection failed, so Listen waits for the next.
func (b *bus) lost(err error) *slog.Logger {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.up {
		b.up, b.ready = false, make(chan struct{})
	}
	b.lastErr = err
	return b.log
}

// listen keeps a listening connection open until ctx ends, reconnecting
// with a growing pause whenever it fails.
func (d *DB) listen(ctx context.Context) {
	backoff := listenMinBackoff
	for {
		err := d.listenOnce(ctx, func() { backoff = listenMinBackoff })
		if ctx.Err() != nil {
			return
		}
		if log := d.bus.lost(err); log != nil {
			log.Warn("notifications: listening connection lost; reconnecting", "err", err, "retry_in", backoff)
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(2*backoff, listenMaxBackoff)
	}
}

// listenOnce connects, LISTENs and hands notifications to the bus until
// the connection fails or ctx ends.
func (d *DB) listenOnce(ctx context.Context, connected func()) error {
	cctx, cancel := context.WithTimeout(ctx, listenConnectTimeout)
	defer cancel()
	conn, err := pgx.Connect(cctx, d.url)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		conn.Close(cctx)
	}()
	var name string
	if err := conn.QueryRow(cctx, `SELECT `+pgChannelSQL).Scan(&name); err != nil {
		return fmt.Errorf("name the channel: %w", err)
	}
	listen := "LISTEN " + pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(cctx, listen); err != nil {
		return fmt.Errorf("listen %s: %w", name, err)
	}
	connected()
	d.bus.listening()
	for {
		n, err := waitIdle(ctx, conn, listen)
		if err != nil {
			return err
		}
		if n == nil {
			continue
		}
		if channel, payload, ok := strings.Cut(n.Payload, " "); ok {
			d.bus.deliver(channel, payload)
		}
	}
}

// waitIdle waits for the next notification. After listenIdlePing without
// one it checks that the server still answers and returns nil, nil if so.
// The check repeats the LISTEN, a no-op, rather than a ping, so that the
// connection's last statement in pg_stat_activity keeps naming the channel.
func waitIdle(ctx context.Context, conn *pgx.Conn, listen string) (*pgconn.Notification, error) {
	wctx, cancel := context.WithTimeout(ctx, listenIdlePing)
	n, err := conn.WaitForNotification(wctx)
	cancel()
	switch {
	case err == nil:
		return n, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case wctx.Err() == nil:
		return nil, fmt.Errorf("wait for notifications: %w", err)
	}
	// The wait ran out: pgx's deadline-based cancellation leaves the
	// connection usable, so check that the server is still there.
	pctx, cancel := context.WithTimeout(ctx, listenPingTimeout)
	defer cancel()
	if _, err := conn.Exec(pctx, listen); err != nil {
		return nil, fmt.Errorf("check the connection: %w", err)
	}
	return nil, nil
}
