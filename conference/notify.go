package conference

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/outbox"
)

// Notifier queues a message in the caller's transaction, so it is sent
// only if the change commits (internal/outbox, wired in cmd/huizhan).
type Notifier interface {
	Enqueue(ctx context.Context, tx *sqlx.Tx, m outbox.Message) error
}

// UseNotifier makes the store tell project contacts about their projects'
// review; without it nobody is told.
func (s *Store) UseNotifier(n Notifier) *Store {
	s.notify = n
	return s
}

// ProjectContact returns the contact person and phone of project id, for
// packages that message a project's people.
func (s *Store) ProjectContact(ctx context.Context, id int64) (name, phone string, err error) {
	var row struct {
		Name  string `db:"contact_name"`
		Phone string `db:"contact_phone"`
	}
	err = s.db.R.GetContext(ctx, &row, `SELECT contact_name, contact_phone FROM projects WHERE id = ?`, id)
	if err != nil {
		return "", "", fmt.Errorf("contact of project %d: %w", id, err)
	}
	return row.Name, row.Phone, nil
}

// notifyStatus tells p's contact, by SMS, that p was reviewed, selected or
// rejected. A project without a contact phone tells nobody.
func (s *Store) notifyStatus(ctx context.Context, tx *sqlx.Tx, p Project, changedAt int64) error {
	if s.notify == nil || p.ContactPhone == "" {
		return nil
	}
	switch p.Status {
	case StatusReviewed, StatusSelected, StatusRejected:
	default:
		return nil
	}
	return s.notify.Enqueue(ctx, tx, outbox.Message{
		Key:     "conference.project:" + strconv.FormatInt(p.ID, 10) + ":" + p.Status + ":" + strconv.FormatInt(changedAt, 10),
		Channel: outbox.SMS, To: p.ContactPhone, Template: "project_" + p.Status, EditionID: p.EditionID,
		Data: map[string]any{"Title": p.Title, "Note": p.StatusNote},
	})
}
