package roadshow

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/apperr"
	"huizhan/internal/db"
)

// Judge is an expert invited to score a session's pitches (路演评审): an
// account (UserID) or a personal link (Token, shown once at invitation).
type Judge struct {
	ID        int64     `db:"id" json:"id"`
	SessionID int64     `db:"session_id" json:"session_id"`
	Name      string    `db:"name" json:"name"`
	UserID    *int64    `db:"user_id" json:"user_id"`
	TokenHash *string   `db:"token_hash" json:"-"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	Token     string    `db:"-" json:"token,omitempty"`
}

// JudgeInput invites a judge: an account by user_id, or, without one, a
// personal link.
type JudgeInput struct {
	Name   string `json:"name"`
	UserID int64  `json:"user_id"`
}

var errNotJudge = apperr.New(apperr.Forbidden, "roadshow.not_judge")

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// InviteJudge adds a judge to a session. For a link judge the returned
// Judge carries the token; only its hash is kept.
func (s *Store) InviteJudge(ctx context.Context, sessionID int64, in JudgeInput) (Judge, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		return Judge{}, apperr.Field("name", "error.required_max", map[string]any{"Max": 100})
	}
	var userID, tokenHash any
	token := ""
	if in.UserID > 0 {
		userID = in.UserID
		if err := s.judgeAccountAllowed(ctx, in.UserID); err != nil {
			return Judge{}, err
		}
	} else {
		var b [24]byte
		if _, err := rand.Read(b[:]); err != nil {
			return Judge{}, fmt.Errorf("judge token: %w", err)
		}
		token = hex.EncodeToString(b[:])
		tokenHash = hashToken(token)
	}
	var j Judge
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := getSession(ctx, tx, sessionID); err != nil {
			return err
		}
		err := tx.GetContext(ctx, &j, `INSERT INTO judges (session_id, name, user_id, token_hash, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING *`, sessionID, in.Name, userID, tokenHash, s.now().UTC())
		switch {
		case db.IsUnique(err):
			return apperr.New(apperr.Conflict, "roadshow.judge_exists")
		case db.IsForeignKey(err):
			return apperr.Field("user_id", "roadshow.user_not_found", nil)
		}
		return err
	})
	j.Token = token
	return j, err
}

// Judges lists a session's judges.
func (s *Store) Judges(ctx context.Context, sessionID int64) ([]Judge, error) {
	var js []Judge
	if err := s.db.R.SelectContext(ctx, &js, `SELECT * FROM judges WHERE session_id = ? ORDER BY id`, sessionID); err != nil {
		return nil, fmt.Errorf("list judges of session %d: %w", sessionID, err)
	}
	return js, nil
}

// JudgeByToken finds the judge a link belongs to.
func (s *Store) JudgeByToken(ctx context.Context, token string) (Judge, error) {
	var j Judge
	err := s.db.R.GetContext(ctx, &j, `SELECT * FROM judges WHERE token_hash = ?`, hashToken(token))
	if errors.Is(err, sql.ErrNoRows) {
		return Judge{}, apperr.New(apperr.NotFound, "roadshow.judge_link_unknown")
	}
	if err != nil {
		return Judge{}, fmt.Errorf("judge by token: %w", err)
	}
	return j, nil
}

// JudgeForUser returns the account's judge row for a session, Forbidden
// when the account is not a judge there.
func (s *Store) JudgeForUser(ctx context.Context, sessionID, userID int64) (Judge, error) {
	var j Judge
	err := s.db.R.GetContext(ctx, &j, `SELECT * FROM judges WHERE session_id = ? AND user_id = ?`, sessionID, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return Judge{}, errNotJudge
	}
	if err != nil {
		return Judge{}, fmt.Errorf("judge of session %d: %w", sessionID, err)
	}
	return j, nil
}

// Score records a judge's scores of one pitch, one per criterion of the
// session, each 1 to 10. A judge may change their scores.
func (s *Store) Score(ctx context.Context, j Judge, slotID int64, scores map[string]int) error {
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		sl, err := getSlot(ctx, tx, slotID)
		if err != nil {
			return err
		}
		if sl.SessionID != j.SessionID {
			return errNotJudge
		}
		sess, err := getSession(ctx, tx, j.SessionID)
		if err != nil {
			return err
		}
		if err := checkScores(sess.Criteria, scores); err != nil {
			return err
		}
		now := s.now().UTC()
		for c, v := range scores {
			_, err := tx.ExecContext(ctx, `INSERT INTO scores (judge_id, slot_id, criterion, score, updated_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (judge_id, slot_id, criterion)
				DO UPDATE SET score = excluded.score, updated_at = excluded.updated_at`, j.ID, slotID, c, v, now)
			if err != nil {
				return fmt.Errorf("score slot %d: %w", slotID, err)
			}
		}
		return nil
	})
}

func checkScores(criteria Criteria, scores map[string]int) error {
	var d []apperr.Detail
	for _, c := range criteria {
		if v, ok := scores[c]; !ok || v < 1 || v > 10 {
			d = append(d, apperr.Detail{Field: "scores", Key: "roadshow.score_range", Args: map[string]any{"Criterion": c}})
		}
	}
	for c := range scores {
		if !slices.Contains(criteria, c) {
			d = append(d, apperr.Detail{Field: "scores", Key: "roadshow.criterion_unknown", Args: map[string]any{"Criterion": c}})
		}
	}
	if len(d) > 0 {
		return apperr.New(apperr.Invalid, "error.invalid_fields").WithDetails(d...)
	}
	return nil
}

// OwnScores returns one judge's scores, by slot and criterion. It never
// reads another judge's rows.
func (s *Store) OwnScores(ctx context.Context, judgeID int64) (map[int64]map[string]int, error) {
	var rows []struct {
		SlotID    int64  `db:"slot_id"`
		Criterion string `db:"criterion"`
		Score     int    `db:"score"`
	}
	err := s.db.R.SelectContext(ctx, &rows, `SELECT slot_id, criterion, score FROM scores WHERE judge_id = ?`, judgeID)
	if err != nil {
		return nil, fmt.Errorf("scores of judge %d: %w", judgeID, err)
	}
	out := map[int64]map[string]int{}
	for _, r := range rows {
		if out[r.SlotID] == nil {
			out[r.SlotID] = map[string]int{}
		}
		out[r.SlotID][r.Criterion] = r.Score
	}
	return out, nil
}

// Ranked is one pitch in a session's ranking: the mean of the judges'
// average scores, and their spread (standard deviation).
type Ranked struct {
	Rank       int     `json:"rank"`
	SlotID     int64   `json:"slot_id"`
	ProjectID  int64   `json:"project_id"`
	Project    string  `json:"project"`
	Delegation string  `json:"delegation"`
	Judges     int     `json:"judges"`
	Mean       float64 `json:"mean"`
	Spread     float64 `json:"spread"`
}

// Ranking ranks a session's pitches by mean score, best first; pitches no
// judge has scored come last, unranked.
func (s *Store) Ranking(ctx context.Context, sessionID int64) ([]Ranked, error) {
	slots, err := s.Slots(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		SlotID int64   `db:"slot_id"`
		Avg    float64 `db:"avg"`
	}
	err = s.db.R.SelectContext(ctx, &rows, `SELECT sc.slot_id, AVG(sc.score) AS avg FROM scores sc
		JOIN slots s ON s.id = sc.slot_id WHERE s.session_id = ? GROUP BY sc.slot_id, sc.judge_id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("scores of session %d: %w", sessionID, err)
	}
	perSlot := map[int64][]float64{}
	for _, r := range rows {
		perSlot[r.SlotID] = append(perSlot[r.SlotID], r.Avg)
	}
	out := make([]Ranked, 0, len(slots))
	for _, sl := range slots {
		mean, spread := meanSpread(perSlot[sl.ID])
		out = append(out, Ranked{SlotID: sl.ID, ProjectID: sl.ProjectID, Project: sl.Project,
			Delegation: sl.Delegation, Judges: len(perSlot[sl.ID]), Mean: mean, Spread: spread})
	}
	slices.SortStableFunc(out, func(a, b Ranked) int {
		return cmp.Or(cmp.Compare(min(b.Judges, 1), min(a.Judges, 1)), cmp.Compare(b.Mean, a.Mean))
	})
	for i := range out {
		if out[i].Judges > 0 {
			out[i].Rank = i + 1
		}
	}
	return out, nil
}

func meanSpread(xs []float64) (mean, spread float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		spread += (x - mean) * (x - mean)
	}
	return round2(mean), round2(math.Sqrt(spread / float64(len(xs))))
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// judgeAccountAllowed refuses a delegation account as a judge: delegations
// present on stage and must see no scores.
func (s *Store) judgeAccountAllowed(ctx context.Context, userID int64) error {
	var role string
	err := s.db.R.GetContext(ctx, &role, `SELECT role FROM users WHERE id = ?`, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Field("user_id", "roadshow.user_not_found", nil)
	}
	if err != nil {
		return fmt.Errorf("judge account %d: %w", userID, err)
	}
	if role == "delegation" {
		return apperr.Field("user_id", "roadshow.judge_not_delegation", nil)
	}
	return nil
}
