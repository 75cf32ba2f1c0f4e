package checkin

import (
	"context"
	"strconv"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
	"huizhan/internal/outbox"
)

// Notifier queues a message in the caller's transaction, so it is sent
// only if the change commits (internal/outbox, wired in cmd/huizhan).
type Notifier interface {
	Enqueue(ctx context.Context, tx *sqlx.Tx, m outbox.Message) error
}

// UseNotifier makes the store tell attendees about their badges; badge
// links in messages start with baseURL. Without it nobody is told.
func (s *Store) UseNotifier(n Notifier, baseURL string) *Store {
	s.notify, s.baseURL = n, baseURL
	return s
}

func (s *Store) badgeLink(code string) string { return s.baseURL + "/b/" + code }

// notifyRegistered confirms a public registration with the badge link.
// It is the one place a registration's messages start from: today an
// attendee has a phone, so the confirmation goes by SMS.
func (s *Store) notifyRegistered(ctx context.Context, tx *sqlx.Tx, e conference.Edition, a Attendee) error {
	if s.notify == nil || a.Phone == "" {
		return nil
	}
	return s.notify.Enqueue(ctx, tx, outbox.Message{
		Key:     "checkin.registered:" + strconv.FormatInt(a.ID, 10),
		Channel: outbox.SMS, To: a.Phone, Template: "registered", EditionID: e.ID,
		Data: map[string]any{"Name": a.Name, "Edition": e.Name}, Link: s.badgeLink(a.Code),
	})
}

// notifyReissued tells the attendee the old badge no longer works and
// sends the new one.
func (s *Store) notifyReissued(ctx context.Context, tx *sqlx.Tx, e conference.Edition, a Attendee) error {
	if s.notify == nil || a.Phone == "" {
		return nil
	}
	return s.notify.Enqueue(ctx, tx, outbox.Message{
		Key:     "checkin.reissued:" + strconv.FormatInt(a.ID, 10) + ":" + a.Code,
		Channel: outbox.SMS, To: a.Phone, Template: "badge_reissued", EditionID: e.ID,
		Data: map[string]any{"Name": a.Name, "Edition": e.Name}, Link: s.badgeLink(a.Code),
	})
}
