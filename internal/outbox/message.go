package outbox

import (
	"context"
	"fmt"
	"maps"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/db"
	"huizhan/internal/i18n"
)

// Channel is how a message travels.
type Channel string

const (
	Email Channel = "email"
	SMS   Channel = "sms"
)

// Kind says why a message is sent. There is no marketing kind: the outbox
// carries event messages only.
type Kind string

const (
	Event    Kind = "event"    // something changed for the recipient
	Reminder Kind = "reminder" // something is about to happen (quiet hours apply to SMS)
	Test     Kind = "test"     // an organiser's test message (sent even to an unsubscribed address)
)

// Status values of a message.
const (
	StatusPending      = "pending"
	StatusSending      = "sending"
	StatusSent         = "sent"
	StatusFailed       = "failed"
	StatusNoChannel    = "no_channel"
	StatusUnsubscribed = "unsubscribed"
	StatusExpired      = "expired"
	StatusCancelled    = "cancelled"
)

// Statuses lists every status, in the order the organiser's filter shows them.
var Statuses = []string{StatusPending, StatusSending, StatusSent, StatusFailed, StatusNoChannel,
	StatusUnsubscribed, StatusExpired, StatusCancelled}

// Message is what a domain package asks to send.
type Message struct {
	// Key is the idempotency key, unique across the outbox, e.g.
	// "checkin.reissue:42:2". Enqueueing a key a second time does nothing.
	Key     string
	Channel Channel
	To      string // e-mail address or mobile number
	Lang    string // i18n.Chinese (default) or i18n.English
	// Template names the message's catalogue keys: notify.TEMPLATE.subject
	// and notify.TEMPLATE.body for e-mail, notify.TEMPLATE.sms for SMS.
	Template  string
	Data      map[string]any // the template's arguments
	Link      string         // the link the message carries (badge, schedule); .Link in the template
	Kind      Kind           // Event when empty
	EditionID int64
	SendAt    time.Time // not before; zero means now
	EventAt   time.Time // when the thing happens: a reminder expires after it
}

// Outbox writes messages and answers the organiser's questions about them.
type Outbox struct {
	db  *db.DB
	cat *i18n.Catalog
	now func() time.Time

	keyMu sync.Mutex
	key   []byte // the unsubscribe links' key, once read
}

// New returns the outbox over d, rendering texts from cat.
func New(d *db.DB, cat *i18n.Catalog) *Outbox {
	return &Outbox{db: d, cat: cat, now: time.Now}
}

// Enqueue writes m into the outbox inside tx, the caller's transaction: it
// is sent once tx commits, and never if tx rolls back. The text is
// rendered now, in the recipient's language, so what was true at the
// change is what the message says.
func (o *Outbox) Enqueue(ctx context.Context, tx *sqlx.Tx, m Message) error {
	to, err := Normalize(m.Channel, m.To)
	if err != nil {
		return err
	}
	if m.Key == "" || m.Template == "" {
		return fmt.Errorf("outbox: message needs a key and a template")
	}
	if m.Kind == "" {
		m.Kind = Event
	}
	if m.Lang != i18n.English {
		m.Lang = i18n.Chinese
	}
	subject, body := o.render(m)
	now := o.now().UTC()
	next := now
	if m.SendAt.After(now) {
		next = m.SendAt.UTC()
	}
	var edition, eventAt any
	if m.EditionID != 0 {
		edition = m.EditionID
	}
	if !m.EventAt.IsZero() {
		eventAt = m.EventAt.UTC()
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox_messages
		(idem_key, channel, recipient, lang, template, subject, body, kind, edition_id, event_at, status, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
		ON CONFLICT (idem_key) DO NOTHING`,
		m.Key, string(m.Channel), to, m.Lang, m.Template, subject, body, string(m.Kind), edition, eventAt, next, now)
	if err != nil {
		return fmt.Errorf("outbox: enqueue %s: %w", m.Key, err)
	}
	return nil
}

// Cancel withdraws the message with key if it has not gone out yet (a
// reminder for a meeting that moved). Unknown keys are fine.
func (o *Outbox) Cancel(ctx context.Context, tx *sqlx.Tx, key string) error {
	_, err := tx.ExecContext(ctx, `UPDATE outbox_messages SET status = 'cancelled'
		WHERE idem_key = ? AND status IN ('pending', 'no_channel')`, key)
	if err != nil {
		return fmt.Errorf("outbox: cancel %s: %w", key, err)
	}
	return nil
}

func (o *Outbox) render(m Message) (subject, body string) {
	l := o.cat.For(m.Lang)
	args := maps.Clone(m.Data)
	if args == nil {
		args = map[string]any{}
	}
	args["Link"] = m.Link
	key := "notify." + m.Template
	if m.Channel == SMS {
		return "", l.T(key+".sms", args)
	}
	return l.T(key+".subject", args), l.T(key+".body", args)
}

// Normalize checks an address for its channel and returns the form the
// outbox keys preferences and rate limits on: a lower-case e-mail address,
// or a phone number of digits with an optional leading +.
func Normalize(ch Channel, addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	switch ch {
	case Email:
		a, err := mail.ParseAddress(addr)
		if err != nil || a.Name != "" || !strings.Contains(a.Address, "@") {
			return "", apperr.Field("to", "notify.bad_email", nil)
		}
		return strings.ToLower(a.Address), nil
	case SMS:
		var b strings.Builder
		for i, r := range addr {
			switch {
			case unicode.IsDigit(r) && r < 128:
				b.WriteRune(r)
			case r == '+' && i == 0:
				b.WriteRune(r)
			case r == ' ' || r == '-':
			default:
				return "", apperr.Field("to", "notify.bad_phone", nil)
			}
		}
		digits := strings.TrimPrefix(b.String(), "+")
		if len(digits) < 6 || len(digits) > 15 {
			return "", apperr.Field("to", "notify.bad_phone", nil)
		}
		return b.String(), nil
	}
	return "", apperr.Field("channel", "notify.bad_channel", nil)
}

// ChannelOf guesses the channel of an address typed by a person: an
// address with @ is e-mail, anything else a phone number.
func ChannelOf(addr string) Channel {
	if strings.Contains(addr, "@") {
		return Email
	}
	return SMS
}

// When writes t for a message in lang, in Beijing time: "1月18日 10:30"
// or "18 Jan 10:30".
func When(t time.Time, lang string) string {
	b := t.In(china)
	if lang == i18n.English {
		return b.Format("2 Jan 15:04")
	}
	return fmt.Sprintf("%d月%d日 %s", b.Month(), b.Day(), b.Format("15:04"))
}
