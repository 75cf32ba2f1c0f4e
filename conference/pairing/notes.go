package pairing

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// Note is a remark on a pairing by a coordinator or an organiser. Adding
// one never touches the stage.
type Note struct {
	ID        int64     `db:"id" json:"id"`
	PairingID int64     `db:"pairing_id" json:"pairing_id"`
	Text      string    `db:"text" json:"text"`
	UserID    *int64    `db:"user_id" json:"user_id"`
	Username  string    `db:"username" json:"username"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

// NoteInput is what a client sends to add a note.
type NoteInput struct {
	Text string `json:"text"`
}

// Validate checks the note on its own.
func (in *NoteInput) Validate() error {
	in.Text = strings.TrimSpace(in.Text)
	switch n := utf8.RuneCountInString(in.Text); {
	case n == 0:
		return apperr.Field("text", "pairing.note_required", nil)
	case n > 2000:
		return apperr.Field("text", "pairing.text_too_long", nil)
	}
	return nil
}

// AddNote keeps a note on a pairing; the pairing itself is not changed.
func (s *Store) AddNote(ctx context.Context, id int64, in NoteInput, who *web.Identity) (Note, error) {
	if err := in.Validate(); err != nil {
		return Note{}, err
	}
	n := Note{PairingID: id, Text: in.Text, Username: who.Username, CreatedAt: s.now().UTC()}
	if who.UserID != 0 {
		n.UserID = &who.UserID
	}
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := getPairing(ctx, tx, id); err != nil {
			return err
		}
		return tx.GetContext(ctx, &n.ID, `INSERT INTO pairing_notes (pairing_id, text, user_id, username, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, n.PairingID, n.Text, n.UserID, n.Username, n.CreatedAt)
	})
	if err != nil {
		return Note{}, apperr.Wrap(err, fmt.Sprintf("add note to pairing %d", id))
	}
	return n, nil
}

// Notes lists a pairing's notes, oldest first.
func (s *Store) Notes(ctx context.Context, id int64) ([]Note, error) {
	ns := []Note{}
	err := s.db.R.SelectContext(ctx, &ns, `SELECT * FROM pairing_notes WHERE pairing_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("notes of pairing %d: %w", id, err)
	}
	return ns, nil
}
