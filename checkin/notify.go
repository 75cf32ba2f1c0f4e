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

// statusTemplates names the message each registration status sends.
var statusTemplates = map[string]string{
	StatusApproved:  "registered",
	StatusPending:   "registration_pending",
	StatusWaiting:   "registration_waiting",
	StatusCancelled: "registration_cancelled",
}

// notifyStatus tells a registered person where their registration stands,
// by SMS to their phone and by e-mail when they gave one: registered (with
// the badge link), pending approval, waiting for a place, or cancelled. It
// is the one place a registration's messages start from, called in the
// transaction that set the status. manageToken, known only when the
// registration was just made, adds the self-service link.
func (s *Store) notifyStatus(ctx context.Context, tx *sqlx.Tx, a Attendee, manageToken string) error {
	tmpl, ok := statusTemplates[a.Status]
	if s.notify == nil || !ok {
		return nil
	}
	e, err := s.editions.Edition(ctx, a.EditionID)
	if err != nil {
		return err
	}
	data := map[string]any{"Name": a.Name, "Edition": e.Name, "Manage": ""}
	if manageToken != "" {
		data["Manage"] = s.baseURL + "/r/" + manageToken
	}
	link := ""
	if a.Status == StatusApproved {
		link = s.badgeLink(a.Code)
	}
	key := "checkin.status:" + strconv.FormatInt(a.ID, 10) + ":" + a.Status + ":" + a.Code
	for _, to := range []struct {
		ch   outbox.Channel
		addr string
	}{{outbox.SMS, a.Phone}, {outbox.Email, a.Email}} {
		if to.addr == "" {
			continue
		}
		err := s.notify.Enqueue(ctx, tx, outbox.Message{Key: key + ":" + string(to.ch), Channel: to.ch, To: to.addr,
			Template: tmpl, EditionID: e.ID, Data: data, Link: link})
		if err != nil {
			return err
		}
	}
	return nil
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
