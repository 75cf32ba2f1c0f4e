package pairing

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/db"
)

// Recommender keeps one match index per edition in memory and rebuilds it
// when the edition's projects change: triggers on the projects table bump
// a counter in match_versions, and every query compares it (one key
// lookup) with the version the index was built from. While a rebuild
// runs, queries keep getting the previous index; only the very first
// query of an edition waits for a build.
type Recommender struct {
	db  *db.DB
	log *slog.Logger

	mu      sync.Mutex
	indexes map[int64]*built
}

type built struct {
	version  int64
	ix       *Index
	building bool
}

// NewRecommender returns a recommender with no index built yet.
func NewRecommender(d *db.DB, log *slog.Logger) *Recommender {
	return &Recommender{db: d, log: log, indexes: map[int64]*built{}}
}

// Match is one suggested counterpart with why.
type Match struct {
	Project conference.Project `json:"project"`
	Score   float64            `json:"score"`
	Reasons []Reason           `json:"reasons"`
}

// Index returns the current index of an edition's projects.
func (r *Recommender) Index(ctx context.Context, editionID int64) (*Index, error) {
	var version int64
	err := r.db.R.GetContext(ctx, &version, `SELECT COALESCE(MAX(version), 0) FROM match_versions WHERE edition_id = ?`, editionID)
	if err != nil {
		return nil, fmt.Errorf("match index version of edition %d: %w", editionID, err)
	}
	r.mu.Lock()
	b := r.indexes[editionID]
	switch {
	case b != nil && b.version == version:
	case b != nil && !b.building:
		// Stale: rebuild in the background and answer from the old one.
		b.building = true
		go r.rebuild(editionID, version)
	case b == nil:
		r.mu.Unlock()
		ix, err := r.build(ctx, editionID)
		if err != nil {
			return nil, err
		}
		r.mu.Lock()
		b = &built{version: version, ix: ix}
		r.indexes[editionID] = b
	}
	ix := b.ix
	r.mu.Unlock()
	return ix, nil
}

func (r *Recommender) rebuild(editionID, version int64) {
	ix, err := r.build(context.Background(), editionID)
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.indexes[editionID]
	b.building = false
	if err != nil {
		if r.log != nil {
			r.log.Error("rebuild match index", "edition", editionID, "err", err)
		}
		return
	}
	b.ix, b.version = ix, version
}

// build reads an edition's projects (all but the rejected) and indexes them.
func (r *Recommender) build(ctx context.Context, editionID int64) (*Index, error) {
	rows, err := r.db.R.QueryxContext(ctx, `SELECT id, delegation_id, kind, industry, title, summary, keywords
		FROM projects WHERE edition_id = ? AND status <> 'rejected' ORDER BY id`, editionID)
	if err != nil {
		return nil, fmt.Errorf("read projects of edition %d: %w", editionID, err)
	}
	defer rows.Close()
	var docs []Doc
	for rows.Next() {
		var p conference.Project
		if err := rows.StructScan(&p); err != nil {
			return nil, fmt.Errorf("read project: %w", err)
		}
		docs = append(docs, Doc{ID: p.ID, DelegationID: p.DelegationID, Supply: conference.IsSupply(p.Kind), Kind: p.Kind,
			Industry: p.Industry, Title: p.Title, Summary: p.Summary, Keywords: p.Keywords})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read projects of edition %d: %w", editionID, err)
	}
	return BuildIndex(docs), nil
}

// Matches returns the best counterparts of a project, with reasons.
func (r *Recommender) Matches(ctx context.Context, projectID int64, limit int) ([]Match, error) {
	var editionID int64
	if err := r.db.R.GetContext(ctx, &editionID, `SELECT edition_id FROM projects WHERE id = ?`, projectID); err != nil {
		return nil, apperr.New(apperr.NotFound, "pairing.project_not_found")
	}
	ix, err := r.Index(ctx, editionID)
	if err != nil {
		return nil, err
	}
	return r.hydrate(ctx, ix.Search(projectID, limit))
}

// hydrate loads the projects of hits and pairs them with score and reasons.
func (r *Recommender) hydrate(ctx context.Context, hits []Hit) ([]Match, error) {
	out := []Match{}
	if len(hits) == 0 {
		return out, nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.Doc.ID
	}
	q, args, err := sqlx.In(`SELECT * FROM projects WHERE id IN (?)`, ids)
	if err != nil {
		return nil, fmt.Errorf("suggested projects: %w", err)
	}
	var ps []conference.Project
	if err := r.db.R.SelectContext(ctx, &ps, q, args...); err != nil {
		return nil, fmt.Errorf("suggested projects: %w", err)
	}
	byID := make(map[int64]conference.Project, len(ps))
	for _, p := range ps {
		byID[p.ID] = p
	}
	for _, h := range hits {
		if p, ok := byID[h.Doc.ID]; ok { // gone since the index was built: skip
			out = append(out, Match{Project: p, Score: round2(h.Score), Reasons: h.Reasons()})
		}
	}
	return out, nil
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }
