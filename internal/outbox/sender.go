package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/db"
)

// Rate is a provider's pace: at most N messages per Per.
type Rate struct {
	N   int
	Per time.Duration
}

// SenderOptions configure a Sender; zero fields take the defaults shown.
type SenderOptions struct {
	Instance    string                // names this process in leases and attempts; random
	Transports  map[Channel]Transport // a channel without one leaves its messages "no channel"
	BaseURL     string                // public address, for unsubscribe links
	MaxAttempts int                   // 6: then the message is failed
	Backoff     time.Duration         // 30s, doubled after each failure ...
	MaxBackoff  time.Duration         // ... up to 1h
	Lease       time.Duration         // 5m: how long a claim keeps other instances off
	SendTimeout time.Duration         // 20s per provider call
	Batch       int                   // 64 messages claimed at a time
	Workers     int                   // 8 messages in flight at a time
	Poll        time.Duration         // 1s between looks at an idle outbox
	Rates       map[Channel]Rate      // per channel, per instance; none: unpaced
	SMSPerDay   int                   // 10 SMS a recipient a Beijing day (reminders and events); <0 unlimited
	Now         func() time.Time
	Log         *slog.Logger
	// Only, when set, limits the sender to that one message (the notify
	// test command, which must leave the server's messages alone).
	Only int64
}

// Sender delivers the outbox's due messages.
type Sender struct {
	o     *Outbox
	opt   SenderOptions
	wake  chan struct{}
	mu    sync.Mutex
	pace  map[Channel]*window
	claim string // the claim statement for this database
}

type window struct {
	start time.Time
	used  int
}

// NewSender returns a sender over o's database.
func NewSender(o *Outbox, opt SenderOptions) *Sender {
	if opt.Instance == "" {
		b := make([]byte, 6)
		rand.Read(b)
		opt.Instance = hex.EncodeToString(b)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opt.Backoff, 30*time.Second)
	def(&opt.MaxBackoff, time.Hour)
	def(&opt.Lease, 5*time.Minute)
	def(&opt.SendTimeout, 20*time.Second)
	def(&opt.Poll, time.Second)
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 6
	}
	if opt.Batch <= 0 {
		opt.Batch = 64
	}
	if opt.Workers <= 0 {
		opt.Workers = 8
	}
	if opt.SMSPerDay == 0 {
		opt.SMSPerDay = 10
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Transports == nil {
		opt.Transports = map[Channel]Transport{}
	}
	claim := `UPDATE outbox_messages SET status = 'sending', lease_owner = ?, lease_until = ?
		WHERE id IN (SELECT id FROM outbox_messages
			WHERE status = 'pending' AND channel = ? AND next_at <= ? AND (? = 0 OR id = ?)
			ORDER BY next_at, id LIMIT ?`
	if o.db.Dialect() == db.Postgres {
		// Instances skip each other's claimed rows instead of waiting.
		claim += ` FOR UPDATE SKIP LOCKED`
	}
	claim += `) RETURNING id, idem_key, channel, recipient, lang, subject, body, kind, event_at, attempts`
	return &Sender{o: o, opt: opt, wake: make(chan struct{}, 1), pace: map[Channel]*window{}, claim: claim}
}

// Instance is the name this sender leases messages under.
func (s *Sender) Instance() string { return s.opt.Instance }

// Configured reports whether ch has a transport.
func (s *Sender) Configured(ch Channel) bool { return s.opt.Transports[ch] != nil }

// Wake makes a running sender look at the outbox now.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends. Messages left "no channel" by an earlier
// run go out now if their channel has been configured since.
func (s *Sender) Run(ctx context.Context) {
	if err := s.requeueNoChannel(ctx); err != nil {
		s.opt.Log.Error("outbox: requeue", "err", err)
	}
	// A SQLite file has one server: whatever an earlier process was
	// sending when it died is taken back now, not when its lease ends.
	if s.o.db.Dialect() == db.SQLite {
		if err := s.reap(ctx, true); err != nil {
			s.opt.Log.Error("outbox: take back", "err", err)
		}
	}
	for {
		n, err := s.Step(ctx)
		if err != nil && ctx.Err() == nil {
			s.opt.Log.Error("outbox: send", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-time.After(s.opt.Poll):
		}
	}
}

// Step does one round: it takes back messages whose sender died, then
// claims and handles what is due on each channel, and returns how many
// messages it handled.
func (s *Sender) Step(ctx context.Context) (int, error) {
	if err := s.reap(ctx, false); err != nil {
		return 0, err
	}
	total := 0
	for _, ch := range []Channel{Email, SMS} {
		n, err := s.stepChannel(ctx, ch)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (s *Sender) stepChannel(ctx context.Context, ch Channel) (int, error) {
	now := s.opt.Now().UTC()
	t := s.opt.Transports[ch]
	if t == nil {
		res, err := s.o.db.W.ExecContext(ctx, `UPDATE outbox_messages SET status = 'no_channel'
			WHERE status = 'pending' AND channel = ? AND next_at <= ? AND (? = 0 OR id = ?)`, string(ch), now, s.opt.Only, s.opt.Only)
		if err != nil {
			return 0, fmt.Errorf("outbox: mark %s no channel: %w", ch, err)
		}
		n, _ := res.RowsAffected()
		return int(n), nil
	}
	limit := min(s.opt.Batch, s.budget(ch, now))
	if limit <= 0 {
		return 0, nil
	}
	var rows []claimed
	err := s.o.db.W.SelectContext(ctx, &rows, s.claim,
		s.opt.Instance, now.Add(s.opt.Lease), string(ch), now, s.opt.Only, s.opt.Only, limit)
	if err != nil {
		return 0, fmt.Errorf("outbox: claim %s: %w", ch, err)
	}
	s.spend(ch, len(rows))
	s.deliver(ctx, t, rows, now)
	return len(rows), nil
}

// claimed is a message this sender holds the lease of.
type claimed struct {
	ID        int64      `db:"id"`
	Key       string     `db:"idem_key"`
	Channel   Channel    `db:"channel"`
	Recipient string     `db:"recipient"`
	Lang      string     `db:"lang"`
	Subject   string     `db:"subject"`
	Body      string     `db:"body"`
	Kind      Kind       `db:"kind"`
	EventAt   *time.Time `db:"event_at"`
	Attempts  int        `db:"attempts"`
}

// deliver handles rows with the configured number of workers. A worker
// records each message's outcome before it starts the next, so a message
// recorded as sent is never sent again.
func (s *Sender) deliver(ctx context.Context, t Transport, rows []claimed, claimedAt time.Time) {
	work := make(chan claimed)
	outcomes := make(chan *outcome)
	recorded := make(chan struct{})
	go func() { s.recorder(ctx, outcomes); close(recorded) }()
	defer func() { close(outcomes); <-recorded }()
	record := func(r claimed, started time.Time, answer string, err error) error {
		o := &outcome{r: r, started: started, answer: answer, err: err, done: make(chan error, 1)}
		outcomes <- o
		return <-o.done
	}
	var wg sync.WaitGroup
	for range min(s.opt.Workers, len(rows)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				// A claim older than its lease may already be another
				// instance's: leave it to be reaped.
				if s.opt.Now().After(claimedAt.Add(s.opt.Lease - s.opt.SendTimeout)) {
					continue
				}
				if err := s.handle(ctx, t, r, record); err != nil && ctx.Err() == nil {
					s.opt.Log.Error("outbox: message", "id", r.ID, "err", err)
				}
			}
		}()
	}
	for _, r := range rows {
		work <- r
	}
	close(work)
	wg.Wait()
}

// handle applies the recipient's wishes and the policies, then sends r and
// records the outcome.
func (s *Sender) handle(ctx context.Context, t Transport, r claimed, record func(claimed, time.Time, string, error) error) error {
	now := s.opt.Now().UTC()
	if r.Kind == Reminder && r.EventAt != nil && !now.Before(*r.EventAt) {
		return s.settle(ctx, r, StatusExpired, "")
	}
	if r.Kind != Test {
		off, err := s.o.Unsubscribed(ctx, r.Recipient)
		if err != nil {
			return err
		}
		if off {
			return s.settle(ctx, r, StatusUnsubscribed, "")
		}
	}
	if hold, ok := s.hold(ctx, r, now); ok {
		return s.defer_(ctx, r, hold)
	}
	out := Outgoing{ID: r.ID, Key: r.Key, Channel: r.Channel, To: r.Recipient, Lang: r.Lang,
		Subject: r.Subject, Body: r.Body}
	if r.Channel == Email {
		u, err := s.o.UnsubscribeURL(ctx, s.opt.BaseURL, r.Recipient)
		if err != nil {
			return err
		}
		out.Unsubscribe = u
		out.Body += "\n\n-- \n" + s.o.cat.For(r.Lang).T("notify.footer", map[string]any{"Link": u})
	}
	sctx, cancel := context.WithTimeout(ctx, s.opt.SendTimeout)
	answer, err := t.Send(sctx, out)
	cancel()
	if err != nil && ctx.Err() != nil {
		return ctx.Err() // shutting down: the lease runs out and the message is retried
	}
	return record(r, now, answer, err)
}

// outcome is a worker's result waiting to be recorded.
type outcome struct {
	r       claimed
	started time.Time
	answer  string
	err     error
	done    chan error
}

var errLeaseLost = errors.New("the lease was lost")

// recorder writes the outcomes workers hand it, as many as are waiting in
// one transaction (group commit: one sync for several messages). Each
// worker waits for its outcome to be committed before it sends its next
// message, so a message recorded as sent is never sent again.
func (s *Sender) recorder(ctx context.Context, in <-chan *outcome) {
	for first := range in {
		group := []*outcome{first}
	more:
		for len(group) < 64 {
			select {
			case o, ok := <-in:
				if !ok {
					break more
				}
				group = append(group, o)
			default:
				break more
			}
		}
		errs := make([]error, len(group))
		err := s.o.db.Tx(ctx, func(tx *sqlx.Tx) error {
			for i, o := range group {
				errs[i] = s.recordTx(ctx, tx, o)
				if errs[i] != nil && !errors.Is(errs[i], errLeaseLost) {
					return errs[i]
				}
			}
			return nil
		})
		for i, o := range group {
			if err != nil {
				o.done <- err
			} else {
				o.done <- errs[i]
			}
		}
	}
}

// recordTx writes the attempt and the message's new state.
func (s *Sender) recordTx(ctx context.Context, tx *sqlx.Tx, o *outcome) error {
	now := s.opt.Now().UTC()
	r, answer := o.r, o.answer
	n := r.Attempts + 1
	result, status, next := "sent", StatusSent, now
	if o.err != nil {
		answer = o.err.Error()
		result, status = "retry", StatusPending
		next = now.Add(s.backoff(n))
		if n >= s.opt.MaxAttempts || IsPermanent(o.err) {
			result, status = "failed", StatusFailed
		}
	}
	if len(answer) > 1000 {
		answer = answer[:1000]
	}
	var sentAt any
	if status == StatusSent {
		sentAt = now
	}
	res, err := tx.ExecContext(ctx, `UPDATE outbox_messages
		SET status = ?, attempts = ?, next_at = ?, sent_at = ?, last_answer = ?, lease_owner = '', lease_until = NULL
		WHERE id = ? AND lease_owner = ? AND status = 'sending'`,
		status, n, next, sentAt, answer, r.ID, s.opt.Instance)
	if err != nil {
		return fmt.Errorf("outbox: record %d: %w", r.ID, err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return fmt.Errorf("outbox: record %d: %w", r.ID, errLeaseLost)
	}
	return insertAttempt(ctx, tx, r.ID, n, o.started, now, result, answer, s.opt.Instance)
}

func insertAttempt(ctx context.Context, tx *sqlx.Tx, id int64, n int, started, finished time.Time, outcome, answer, instance string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox_attempts
		(message_id, attempt, started_at, finished_at, outcome, answer, instance) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, n, started, finished, outcome, answer, instance)
	if err != nil {
		return fmt.Errorf("outbox: attempt of %d: %w", id, err)
	}
	return nil
}

// backoff is the wait after the n-th failed attempt: Backoff, doubled each
// time, at most MaxBackoff.
func (s *Sender) backoff(n int) time.Duration {
	d := s.opt.Backoff
	for i := 1; i < n && d < s.opt.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.opt.MaxBackoff)
}

// settle ends r without sending it.
func (s *Sender) settle(ctx context.Context, r claimed, status, answer string) error {
	_, err := s.o.db.W.ExecContext(ctx, `UPDATE outbox_messages
		SET status = ?, last_answer = ?, lease_owner = '', lease_until = NULL
		WHERE id = ? AND lease_owner = ? AND status = 'sending'`, status, answer, r.ID, s.opt.Instance)
	if err != nil {
		return fmt.Errorf("outbox: settle %d: %w", r.ID, err)
	}
	return nil
}

// defer_ puts r back to wait until at, without counting an attempt.
func (s *Sender) defer_(ctx context.Context, r claimed, at time.Time) error {
	_, err := s.o.db.W.ExecContext(ctx, `UPDATE outbox_messages
		SET status = 'pending', next_at = ?, lease_owner = '', lease_until = NULL
		WHERE id = ? AND lease_owner = ? AND status = 'sending'`, at.UTC(), r.ID, s.opt.Instance)
	if err != nil {
		return fmt.Errorf("outbox: hold %d: %w", r.ID, err)
	}
	return nil
}

// reap takes back messages whose lease ran out while they were being sent:
// their sender died or hung. The provider may or may not have taken them,
// so the attempt is recorded as interrupted and they go out again (with
// the same Message-ID or out-id).
//
// all takes back every message being sent, whatever its lease: for a
// server starting on a SQLite file, which no other process sends from.
func (s *Sender) reap(ctx context.Context, all bool) error {
	now := s.opt.Now().UTC()
	until := now
	if all {
		until = now.Add(100 * 365 * 24 * time.Hour)
	}
	return s.o.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var gone []struct {
			ID       int64  `db:"id"`
			Attempts int    `db:"attempts"`
			Owner    string `db:"lease_owner"`
		}
		err := tx.SelectContext(ctx, &gone, `SELECT id, attempts, lease_owner FROM outbox_messages
			WHERE status = 'sending' AND lease_until < ? ORDER BY id LIMIT 500`, until)
		if err != nil {
			return fmt.Errorf("outbox: find expired leases: %w", err)
		}
		for _, g := range gone {
			res, err := tx.ExecContext(ctx, `UPDATE outbox_messages
				SET status = 'pending', attempts = attempts + 1, lease_owner = '', lease_until = NULL, next_at = ?
				WHERE id = ? AND status = 'sending' AND lease_owner = ?`, now, g.ID, g.Owner)
			if err != nil {
				return fmt.Errorf("outbox: reap %d: %w", g.ID, err)
			}
			if k, _ := res.RowsAffected(); k == 1 {
				err = insertAttempt(ctx, tx, g.ID, g.Attempts+1, now, now, "interrupted",
					"sender "+g.Owner+" stopped before recording the provider's answer", s.opt.Instance)
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// requeueNoChannel gives messages left without a channel to the channels
// now configured.
func (s *Sender) requeueNoChannel(ctx context.Context) error {
	for ch := range s.opt.Transports {
		_, err := s.o.db.W.ExecContext(ctx, `UPDATE outbox_messages SET status = 'pending'
			WHERE status = 'no_channel' AND channel = ?`, string(ch))
		if err != nil {
			return err
		}
	}
	return nil
}

// budget is how many messages ch may still send in its current rate window.
func (s *Sender) budget(ch Channel, now time.Time) int {
	r, ok := s.opt.Rates[ch]
	if !ok || r.N <= 0 || r.Per <= 0 {
		return s.opt.Batch
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.pace[ch]
	if w == nil || !now.Before(w.start.Add(r.Per)) {
		w = &window{start: now}
		s.pace[ch] = w
	}
	return r.N - w.used
}

func (s *Sender) spend(ch Channel, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.pace[ch]; w != nil {
		w.used += n
	}
}
