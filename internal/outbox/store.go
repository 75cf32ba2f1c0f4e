package outbox

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
)

// Record is a message as the organiser sees it.
type Record struct {
	ID         int64      `db:"id" json:"id"`
	Key        string     `db:"idem_key" json:"key"`
	Channel    string     `db:"channel" json:"channel"`
	Recipient  string     `db:"recipient" json:"recipient"`
	Lang       string     `db:"lang" json:"lang"`
	Template   string     `db:"template" json:"template"`
	Subject    string     `db:"subject" json:"subject"`
	Body       string     `db:"body" json:"body"`
	Kind       string     `db:"kind" json:"kind"`
	EditionID  *int64     `db:"edition_id" json:"edition_id"`
	EventAt    *time.Time `db:"event_at" json:"event_at"`
	Status     string     `db:"status" json:"status"`
	Attempts   int        `db:"attempts" json:"attempts"`
	NextAt     time.Time  `db:"next_at" json:"next_at"`
	CreatedAt  time.Time  `db:"created_at" json:"created_at"`
	SentAt     *time.Time `db:"sent_at" json:"sent_at"`
	LastAnswer string     `db:"last_answer" json:"last_answer"`
}

// Attempt is one try at handing a message to its provider.
type Attempt struct {
	Attempt    int       `db:"attempt" json:"attempt"`
	StartedAt  time.Time `db:"started_at" json:"started_at"`
	FinishedAt time.Time `db:"finished_at" json:"finished_at"`
	Outcome    string    `db:"outcome" json:"outcome"`
	Answer     string    `db:"answer" json:"answer"`
	Instance   string    `db:"instance" json:"instance"`
}

// Detail is a message with its attempts.
type Detail struct {
	Record
	History []Attempt `json:"attempts_log"`
}

// Filter narrows the outbox list.
type Filter struct {
	Status  string // one of Statuses, or "" for all
	Channel string
	Q       string // part of the recipient
	Limit   int
	Offset  int
}

const recordColumns = `id, idem_key, channel, recipient, lang, template, subject, body, kind, edition_id,
	event_at, status, attempts, next_at, created_at, sent_at, last_answer`

// List returns the messages f selects, newest first, and how many there are.
func (o *Outbox) List(ctx context.Context, f Filter) ([]Record, int, error) {
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		return nil, 0, apperr.Field("status", "notify.bad_status", nil)
	}
	where, args := []string{"1 = 1"}, []any{}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Channel != "" {
		where, args = append(where, "channel = ?"), append(args, f.Channel)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where, args = append(where, "recipient LIKE ?"), append(args, "%"+strings.ToLower(q)+"%")
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := o.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM outbox_messages WHERE `+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("outbox: count: %w", err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var rs []Record
	err := o.db.R.SelectContext(ctx, &rs, `SELECT `+recordColumns+` FROM outbox_messages WHERE `+cond+
		` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("outbox: list: %w", err)
	}
	return rs, total, nil
}

// Counts returns how many messages have each status.
func (o *Outbox) Counts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := o.db.R.SelectContext(ctx, &rows, `SELECT status, COUNT(*) AS n FROM outbox_messages GROUP BY status`); err != nil {
		return nil, fmt.Errorf("outbox: counts: %w", err)
	}
	m := map[string]int{}
	for _, r := range rows {
		m[r.Status] = r.N
	}
	return m, nil
}

// Get returns one message and its attempts.
func (o *Outbox) Get(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	err := o.db.R.GetContext(ctx, &d.Record, `SELECT `+recordColumns+` FROM outbox_messages WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return d, apperr.New(apperr.NotFound, "notify.not_found")
	}
	if err != nil {
		return d, fmt.Errorf("outbox: get %d: %w", id, err)
	}
	d.History = []Attempt{}
	err = o.db.R.SelectContext(ctx, &d.History, `SELECT attempt, started_at, finished_at, outcome, answer, instance
		FROM outbox_attempts WHERE message_id = ? ORDER BY id`, id)
	if err != nil {
		return d, fmt.Errorf("outbox: attempts of %d: %w", id, err)
	}
	return d, nil
}

// Resend puts a message that has ended (failed, sent, no channel,
// unsubscribed, expired, cancelled) back in the queue, as a new message
// with the same text: its idempotency key gets a suffix, so the old record
// stays as it was.
func (o *Outbox) Resend(ctx context.Context, id int64) (Record, error) {
	var out Record
	err := o.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var r Record
		err := tx.GetContext(ctx, &r, `SELECT `+recordColumns+` FROM outbox_messages WHERE id = ?`, id)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "notify.not_found")
		}
		if err != nil {
			return err
		}
		if r.Status == StatusPending || r.Status == StatusSending {
			return apperr.New(apperr.Conflict, "notify.still_queued")
		}
		now := o.now().UTC()
		key := fmt.Sprintf("%s#resend:%d", r.Key, now.UnixNano())
		err = tx.GetContext(ctx, &out.ID, `INSERT INTO outbox_messages
			(idem_key, channel, recipient, lang, template, subject, body, kind, edition_id, event_at, status, next_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id`,
			key, r.Channel, r.Recipient, r.Lang, r.Template, r.Subject, r.Body, r.Kind, r.EditionID, r.EventAt, now, now)
		if err != nil {
			return fmt.Errorf("outbox: resend %d: %w", id, err)
		}
		return tx.GetContext(ctx, &out, `SELECT `+recordColumns+` FROM outbox_messages WHERE id = ?`, out.ID)
	})
	return out, err
}

// Send enqueues m in a transaction of its own (test messages, the CLI).
func (o *Outbox) Send(ctx context.Context, m Message) (Record, error) {
	var out Record
	err := o.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := o.Enqueue(ctx, tx, m); err != nil {
			return err
		}
		return tx.GetContext(ctx, &out, `SELECT `+recordColumns+` FROM outbox_messages WHERE idem_key = ?`, m.Key)
	})
	return out, err
}

// Unsubscribed reports whether addr asked for no more messages.
func (o *Outbox) Unsubscribed(ctx context.Context, addr string) (bool, error) {
	var off []bool
	err := o.db.R.SelectContext(ctx, &off, `SELECT unsubscribed FROM outbox_preferences WHERE address = ?`, addr)
	if err != nil {
		return false, fmt.Errorf("outbox: preferences of %s: %w", addr, err)
	}
	return len(off) > 0 && off[0], nil
}

// SetUnsubscribed records addr's wish: no more messages (true), or
// messages again (false).
func (o *Outbox) SetUnsubscribed(ctx context.Context, addr string, off bool) error {
	addr, err := Normalize(ChannelOf(addr), addr)
	if err != nil {
		return err
	}
	return o.db.Tx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox_preferences (address, unsubscribed, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (address) DO UPDATE SET unsubscribed = excluded.unsubscribed, updated_at = excluded.updated_at`,
			addr, off, o.now().UTC())
		if err != nil {
			return fmt.Errorf("outbox: set preference of %s: %w", addr, err)
		}
		return nil
	})
}

// Unsubscribers lists the addresses that asked for no more messages.
func (o *Outbox) Unsubscribers(ctx context.Context) ([]string, error) {
	var out []string
	err := o.db.R.SelectContext(ctx, &out, `SELECT address FROM outbox_preferences WHERE unsubscribed ORDER BY address LIMIT 500`)
	return out, err
}

// UnsubscribeURL is addr's personal unsubscribe link under baseURL.
func (o *Outbox) UnsubscribeURL(ctx context.Context, baseURL, addr string) (string, error) {
	tok, err := o.token(ctx, addr)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(baseURL, "/") + "/notify/unsubscribe?" + url.Values{"a": {addr}, "t": {tok}}.Encode(), nil
}

// CheckToken reports whether tok is addr's unsubscribe token.
func (o *Outbox) CheckToken(ctx context.Context, addr, tok string) error {
	want, err := o.token(ctx, addr)
	if err != nil {
		return err
	}
	if addr == "" || !hmac.Equal([]byte(want), []byte(tok)) {
		return apperr.New(apperr.NotFound, "notify.bad_link")
	}
	return nil
}

func (o *Outbox) token(ctx context.Context, addr string) (string, error) {
	key, err := o.secret(ctx)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(addr))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:18]), nil
}

// secret is the key of unsubscribe links, made on first use and kept in
// the database so every instance signs alike.
func (o *Outbox) secret(ctx context.Context) ([]byte, error) {
	o.keyMu.Lock()
	defer o.keyMu.Unlock()
	if o.key != nil {
		return o.key, nil
	}
	var hexKey string
	err := o.db.R.GetContext(ctx, &hexKey, `SELECT secret FROM outbox_secret WHERE id = 1`)
	if errors.Is(err, sql.ErrNoRows) {
		b := make([]byte, 32)
		rand.Read(b)
		err = o.db.Tx(ctx, func(tx *sqlx.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_secret (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`, hex.EncodeToString(b)); err != nil {
				return err
			}
			return tx.GetContext(ctx, &hexKey, `SELECT secret FROM outbox_secret WHERE id = 1`)
		})
	}
	if err != nil {
		return nil, fmt.Errorf("outbox: link key: %w", err)
	}
	k, err := hex.DecodeString(hexKey)
	if err != nil {
		return nil, fmt.Errorf("outbox: link key: %w", err)
	}
	o.key = k
	return k, nil
}

// WithdrawQueued cancels every message not sent yet. The demo loader calls
// it: its invented people must never be messaged.
func (o *Outbox) WithdrawQueued(ctx context.Context) error {
	_, err := o.db.W.ExecContext(ctx, `UPDATE outbox_messages SET status = 'cancelled'
		WHERE status IN ('pending', 'no_channel')`)
	if err != nil {
		return fmt.Errorf("outbox: withdraw queued messages: %w", err)
	}
	return nil
}
