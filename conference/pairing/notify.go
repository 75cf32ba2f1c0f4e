package pairing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/outbox"
)

// Notifier queues and withdraws messages in the caller's transaction, so
// they follow the change only if it commits (internal/outbox, wired in
// cmd/huizhan).
type Notifier interface {
	Enqueue(ctx context.Context, tx *sqlx.Tx, m outbox.Message) error
	Cancel(ctx context.Context, tx *sqlx.Tx, key string) error
}

// Contacts finds the contact phone of a project (conference.Store).
type Contacts interface {
	ProjectContact(ctx context.Context, id int64) (name, phone string, err error)
}

// UseNotifier makes the store tell both sides of a meeting when it is
// booked or moved, and remind them 30 minutes before. Without it nobody
// is told.
func (s *Store) UseNotifier(n Notifier, c Contacts) *Store {
	s.notify, s.contacts = n, c
	return s
}

// ReminderBefore is how long before a meeting its reminder goes.
const ReminderBefore = 30 * time.Minute

func reminderKey(pairingID int64, start time.Time) string {
	return fmt.Sprintf("pairing.reminder:%d:%d", pairingID, start.Unix())
}

// previousMeeting is the pairing's booking before this change, if any.
func previousMeeting(ctx context.Context, tx *sqlx.Tx, pairingID int64) (*Meeting, error) {
	var m Meeting
	err := tx.GetContext(ctx, &m, `SELECT * FROM meetings WHERE pairing_id = ?`, pairingID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("meeting of pairing %d: %w", pairingID, err)
	}
	return &m, nil
}

// notifyMeeting tells each side's contact about meeting m (booked, or
// moved from old) and queues their reminders, withdrawing old's.
func (s *Store) notifyMeeting(ctx context.Context, tx *sqlx.Tx, p Pairing, m Meeting, old *Meeting) error {
	if s.notify == nil || s.contacts == nil {
		return nil
	}
	template := "meeting_booked"
	if old != nil {
		if old.StartsAt.Equal(m.StartsAt) && old.Table == m.Table {
			return nil // the same booking again
		}
		template = "meeting_moved"
		if err := s.cancelReminders(ctx, tx, *old); err != nil {
			return err
		}
	}
	sides := []struct {
		project      int64
		title, other string
	}{{p.DemandID, p.Demand.Title, p.Supply.Title}, {p.SupplyID, p.Supply.Title, p.Demand.Title}}
	for _, side := range sides {
		_, phone, err := s.contacts.ProjectContact(ctx, side.project)
		if err != nil || phone == "" {
			continue
		}
		data := map[string]any{"Title": side.title, "Other": side.other, "Table": m.Table,
			"When": outbox.When(m.StartsAt, "zh-CN")}
		err = s.notify.Enqueue(ctx, tx, outbox.Message{
			Key:     fmt.Sprintf("pairing.meeting:%d:%d:%d:%d", p.ID, side.project, m.StartsAt.Unix(), m.Table),
			Channel: outbox.SMS, To: phone, Template: template, EditionID: p.EditionID, Data: data,
		})
		if err != nil {
			return err
		}
		err = s.notify.Enqueue(ctx, tx, outbox.Message{
			Key:     fmt.Sprintf("%s:%d", reminderKey(p.ID, m.StartsAt), side.project),
			Channel: outbox.SMS, To: phone, Template: "meeting_reminder", EditionID: p.EditionID, Data: data,
			Kind: outbox.Reminder, SendAt: m.StartsAt.Add(-ReminderBefore), EventAt: m.StartsAt,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// cancelReminders withdraws the reminders of a meeting that moved or was
// cancelled.
func (s *Store) cancelReminders(ctx context.Context, tx *sqlx.Tx, m Meeting) error {
	if s.notify == nil {
		return nil
	}
	for _, project := range []int64{m.DemandID, m.SupplyID} {
		if err := s.notify.Cancel(ctx, tx, fmt.Sprintf("%s:%d", reminderKey(m.PairingID, m.StartsAt), project)); err != nil {
			return err
		}
	}
	return nil
}

// notifyRequest tells a project's contact about a meeting request: to the
// side asked when it is made (meeting_requested), to the side that asked
// when it is answered (meeting_accepted or meeting_declined, with the
// reason). The contact answers from their participant link.
func (s *Store) notifyRequest(ctx context.Context, tx *sqlx.Tx, template string, r Request, to, other int64, reason string) error {
	if s.notify == nil || s.contacts == nil {
		return nil
	}
	_, phone, err := s.contacts.ProjectContact(ctx, to)
	if err != nil || phone == "" {
		return nil // no contact phone: the request shows on the link's page
	}
	var titles struct {
		Title string `db:"title"`
		Other string `db:"other"`
	}
	if err := tx.GetContext(ctx, &titles, `SELECT a.title AS title, b.title AS other FROM projects a, projects b
		WHERE a.id = ? AND b.id = ?`, to, other); err != nil {
		return fmt.Errorf("titles of request %d: %w", r.ID, err)
	}
	return s.notify.Enqueue(ctx, tx, outbox.Message{
		Key:     fmt.Sprintf("pairing.request:%d:%s", r.ID, template),
		Channel: outbox.SMS, To: phone, Template: template, EditionID: r.EditionID,
		Data: map[string]any{"Title": titles.Title, "Other": titles.Other, "Reason": reason},
	})
}

var errNoContactPhone = apperr.Field("send", "participant.no_contact_phone", nil)

// notifyLink texts a project's new participant link to its contact.
func (s *Store) notifyLink(ctx context.Context, tx *sqlx.Tx, projectID int64, hash, link string) error {
	if s.notify == nil || s.contacts == nil {
		return apperr.New(apperr.Conflict, "participant.no_channel")
	}
	name, phone, err := s.contacts.ProjectContact(ctx, projectID)
	if err != nil {
		return err
	}
	if phone == "" {
		return errNoContactPhone
	}
	var p struct {
		Title     string `db:"title"`
		EditionID int64  `db:"edition_id"`
	}
	if err := tx.GetContext(ctx, &p, `SELECT title, edition_id FROM projects WHERE id = ?`, projectID); err != nil {
		return fmt.Errorf("project %d: %w", projectID, err)
	}
	return s.notify.Enqueue(ctx, tx, outbox.Message{
		Key:     "pairing.link:" + hash[:16],
		Channel: outbox.SMS, To: phone, Template: "participant_link", EditionID: p.EditionID,
		Data: map[string]any{"Name": name, "Title": p.Title}, Link: link,
	})
}
