package pairing

import (
	"context"
	"fmt"

	"huizhan/conference"
)

// SuggestFilter picks the projects to suggest counterparts for: those of
// one delegation, or of one industry, in an edition.
type SuggestFilter struct {
	DelegationID int64
	Industry     string
	PerProject   int
}

// Suggestion is one project with its best counterparts not yet paired
// with it.
type Suggestion struct {
	Project conference.Project `json:"project"`
	Matches []Match            `json:"matches"`
}

// maxSuggested caps how many projects one bulk suggestion covers.
const maxSuggested = 200

// Suggest lists counterparts for every project the filter picks, leaving
// out pairs that exist already, for organiser-pushed matching in bulk.
func (r *Recommender) Suggest(ctx context.Context, editionID int64, f SuggestFilter) ([]Suggestion, error) {
	where, args := `edition_id = ? AND status <> 'rejected'`, []any{editionID}
	if f.DelegationID != 0 {
		where += ` AND delegation_id = ?`
		args = append(args, f.DelegationID)
	}
	if f.Industry != "" {
		where += ` AND industry = ?`
		args = append(args, f.Industry)
	}
	var ps []conference.Project
	err := r.db.R.SelectContext(ctx, &ps, `SELECT * FROM projects WHERE `+where+` ORDER BY kind = 'demand' DESC, id LIMIT ?`,
		append(args, maxSuggested)...)
	if err != nil {
		return nil, fmt.Errorf("projects to suggest for: %w", err)
	}
	paired, err := r.pairedWith(ctx, editionID)
	if err != nil {
		return nil, err
	}
	ix, err := r.Index(ctx, editionID)
	if err != nil {
		return nil, err
	}
	per := min(max(f.PerProject, 1), 10)
	out := []Suggestion{}
	for _, p := range ps {
		var hits []Hit
		for _, h := range ix.Search(p.ID, per+len(paired[p.ID])) {
			if !paired[p.ID][h.Doc.ID] && len(hits) < per {
				hits = append(hits, h)
			}
		}
		ms, err := r.hydrate(ctx, hits)
		if err != nil {
			return nil, err
		}
		out = append(out, Suggestion{Project: p, Matches: ms})
	}
	return out, nil
}

// pairedWith maps each project of the edition to its counterparts.
func (r *Recommender) pairedWith(ctx context.Context, editionID int64) (map[int64]map[int64]bool, error) {
	var pairs []struct {
		D int64 `db:"demand_id"`
		S int64 `db:"supply_id"`
	}
	if err := r.db.R.SelectContext(ctx, &pairs, `SELECT demand_id, supply_id FROM pairings WHERE edition_id = ?`, editionID); err != nil {
		return nil, fmt.Errorf("existing pairs: %w", err)
	}
	m := map[int64]map[int64]bool{}
	add := func(a, b int64) {
		if m[a] == nil {
			m[a] = map[int64]bool{}
		}
		m[a][b] = true
	}
	for _, p := range pairs {
		add(p.D, p.S)
		add(p.S, p.D)
	}
	return m, nil
}
