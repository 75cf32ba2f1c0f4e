package roadshow

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/outbox"
)

// Notifier queues a message in the caller's transaction, so it is sent
// only if the change commits (internal/outbox, wired in cmd/huizhan).
type Notifier interface {
	Enqueue(ctx context.Context, tx *sqlx.Tx, m outbox.Message) error
}

// Contacts finds the contact phone of a project (conference.Store).
type Contacts interface {
	ProjectContact(ctx context.Context, id int64) (name, phone string, err error)
}

// UseNotifier makes each agenda release tell presenters whose slot was
// created, moved or removed by it. Without it nobody is told.
func (s *Store) UseNotifier(n Notifier, c Contacts) *Store {
	s.notify, s.contacts = n, c
	return s
}

var slotTemplates = map[string]string{ChangeNew: "slot_created", ChangeMoved: "slot_moved", ChangeCancelled: "slot_removed"}

// notifyRelease sends one SMS per slot the release a changed, to the
// contact phone of the slot's project.
func (s *Store) notifyRelease(ctx context.Context, tx *sqlx.Tx, a Agenda) error {
	if s.notify == nil || s.contacts == nil {
		return nil
	}
	slots := map[int64]AgendaSlot{}
	add := func(ss []AgendaSession) {
		for _, se := range ss {
			for _, sl := range se.Slots {
				slots[sl.ID] = sl
			}
		}
	}
	add(a.Sessions)
	changes := a.Changes
	if a.Release == 1 {
		changes = diff(nil, a.Sessions) // the first release creates every slot
	}
	for _, c := range changes {
		if c.Type == "slot" && c.Kind == ChangeCancelled && a.Release > 1 {
			prev, _, err := snapshot(ctx, tx, a.EditionID, a.Release-1)
			if err != nil {
				return err
			}
			add(prev)
			break
		}
	}
	for _, c := range changes {
		sl, ok := slots[c.ID]
		if c.Type != "slot" || !ok {
			continue
		}
		_, phone, err := s.contacts.ProjectContact(ctx, sl.ProjectID)
		if err != nil || phone == "" {
			continue // the project is gone or has no phone: nobody to tell
		}
		err = s.notify.Enqueue(ctx, tx, outbox.Message{
			Key:     fmt.Sprintf("roadshow.release:%d:%d:%d", a.EditionID, a.Release, c.ID),
			Channel: outbox.SMS, To: phone, Template: slotTemplates[c.Kind], EditionID: a.EditionID,
			Data: map[string]any{"Title": c.Title, "Presenter": sl.Presenter, "Session": c.Session,
				"Room": c.Room, "When": outbox.When(c.StartsAt, "zh-CN")},
		})
		if err != nil {
			return err
		}
	}
	return nil
}
