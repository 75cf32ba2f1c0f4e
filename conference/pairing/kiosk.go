package pairing

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"huizhan/internal/apperr"
	"huizhan/internal/civil"
	"huizhan/internal/web"
)

// A board link shows an edition's big-screen board to whoever holds it,
// without signing in (a screen in the hall runs a browser nobody signs
// into). The token is 160 random bits; only its SHA-256 is kept, so the
// database cannot give a link away, and revoking the edition's links stops
// them at once. It reads, never writes.

// BoardPairing is a pairing as the big screen shows it: the two projects,
// their delegations, the stage and the amount, and nothing a delegation
// wrote (no request messages, notes, signatories or reasons).
type BoardPairing struct {
	ID        int64      `json:"id"`
	Stage     string     `json:"stage"`
	Demand    BoardSide  `json:"demand"`
	Supply    BoardSide  `json:"supply"`
	AmountWan *Wan       `json:"amount_wan"`
	SignedOn  civil.Date `json:"signed_on"`
}

// BoardSide is one project on the big screen.
type BoardSide struct {
	Title      string `json:"title"`
	Delegation string `json:"delegation"`
}

// Amount is the pairing's amount with thousands separators ("" when none).
func (p BoardPairing) Amount() string { return amountText(p.AmountWan) }

// BoardMeeting is a meeting on the big screen.
type BoardMeeting struct {
	Table    int          `json:"table"`
	StartsAt time.Time    `json:"starts_at"`
	EndsAt   time.Time    `json:"ends_at"`
	Pairing  BoardPairing `json:"pairing"`
}

func boardPairing(p Pairing) BoardPairing {
	return BoardPairing{ID: p.ID, Stage: p.Stage, AmountWan: p.AmountWan, SignedOn: p.SignedOn,
		Demand: BoardSide{Title: p.Demand.Title, Delegation: p.Demand.Delegation},
		Supply: BoardSide{Title: p.Supply.Title, Delegation: p.Supply.Delegation}}
}

func boardMeetings(ms []SessionMeeting) []BoardMeeting {
	out := make([]BoardMeeting, 0, len(ms))
	for _, m := range ms {
		out = append(out, BoardMeeting{Table: m.Table, StartsAt: m.StartsAt, EndsAt: m.EndsAt, Pairing: boardPairing(m.Pairing)})
	}
	return out
}

// BoardLink is a created link: the token is shown once.
type BoardLink struct {
	EditionID int64  `json:"edition_id"`
	Token     string `json:"token"`
	URL       string `json:"url"`
}

var errBoardLinkUnknown = apperr.New(apperr.NotFound, "pairing.board_link_unknown")

func hashBoardToken(token string) string {
	sum := sha256.Sum256([]byte(strings.ToUpper(token)))
	return hex.EncodeToString(sum[:])
}

// CreateBoardLink makes a new read-only link to an edition's board.
func (s *Store) CreateBoardLink(ctx context.Context, editionID int64, who *web.Identity) (BoardLink, error) {
	if _, err := s.EditionName(ctx, editionID); err != nil {
		return BoardLink{}, err
	}
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return BoardLink{}, fmt.Errorf("board link token: %w", err)
	}
	token := base32.StdEncoding.EncodeToString(b[:])
	_, err := s.db.W.ExecContext(ctx, `INSERT INTO board_links (edition_id, token_hash, created_by, created_at)
		VALUES (?, ?, ?, ?)`, editionID, hashBoardToken(token), who.UserID, s.now().UTC())
	if err != nil {
		return BoardLink{}, fmt.Errorf("create board link of edition %d: %w", editionID, err)
	}
	return BoardLink{EditionID: editionID, Token: token, URL: "/board/" + token}, nil
}

// RevokeBoardLinks stops every link to an edition's board; it answers how
// many were live.
func (s *Store) RevokeBoardLinks(ctx context.Context, editionID int64) (int, error) {
	res, err := s.db.W.ExecContext(ctx, `UPDATE board_links SET revoked_at = ? WHERE edition_id = ? AND revoked_at IS NULL`,
		s.now().UTC(), editionID)
	if err != nil {
		return 0, fmt.Errorf("revoke board links of edition %d: %w", editionID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// BoardLinks counts an edition's live board links.
func (s *Store) BoardLinks(ctx context.Context, editionID int64) (int, error) {
	var n int
	err := s.db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM board_links WHERE edition_id = ? AND revoked_at IS NULL`, editionID)
	if err != nil {
		return 0, fmt.Errorf("board links of edition %d: %w", editionID, err)
	}
	return n, nil
}

// BoardByToken is the board a live link shows; an unknown or revoked
// token is not found.
func (s *Store) BoardByToken(ctx context.Context, token string) (Board, error) {
	if len(token) < 16 || len(token) > 64 {
		return Board{}, errBoardLinkUnknown
	}
	var editionID int64
	err := s.db.R.GetContext(ctx, &editionID, `SELECT edition_id FROM board_links WHERE token_hash = ? AND revoked_at IS NULL`,
		hashBoardToken(token))
	if errors.Is(err, sql.ErrNoRows) {
		return Board{}, errBoardLinkUnknown
	}
	if err != nil {
		return Board{}, fmt.Errorf("board link: %w", err)
	}
	return s.Board(ctx, editionID)
}
