package reports

import (
	"context"
	"fmt"
	"sort"
)

// Comparison is one dimension of the summary (by delegation, zone, kind,
// industry, or the overview's figures) across the editions up to the one
// reported on: Values[i] is the figure of Editions[i], the last being the
// current edition.
type Comparison struct {
	Rows []ComparisonRow `json:"rows"`
}

// ComparisonRow is one delegation (by name), zone, kind or figure.
type ComparisonRow struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
}

// Current is the figure of the edition reported on.
func (r ComparisonRow) Current() float64 { return r.Values[len(r.Values)-1] }

// Previous is the figure of the edition before it (0 when there is none).
func (r ComparisonRow) Previous() float64 {
	if len(r.Values) < 2 {
		return 0
	}
	return r.Values[len(r.Values)-2]
}

// Cumulative is the sum over every edition up to the current one.
func (r ComparisonRow) Cumulative() float64 {
	var s float64
	for _, v := range r.Values {
		s += v
	}
	return s
}

// Growth is the change from the previous edition ("—" when it had none).
func (r ComparisonRow) Growth() string { return FormatGrowth(r.Previous(), r.Current()) }

// StageCount is how many pairings are at a stage and how many got at
// least that far (the funnel).
type StageCount struct {
	Stage   string `json:"stage"`
	At      int    `json:"at"`
	Reached int    `json:"reached"`
}

// DayCount is one day's check-ins.
type DayCount struct {
	Day      string `db:"day" json:"day"`
	Accepted int    `db:"accepted" json:"accepted"`
	People   int    `db:"people" json:"people"`
}

// Summary is every figure of the summary workbook and the dashboard.
type Summary struct {
	Edition      Edition      `json:"edition"`
	Editions     []Edition    `json:"editions"` // oldest first; the last is Edition
	Delegation   string       `json:"delegation,omitempty"`
	Overview     Comparison   `json:"overview"`
	ByDelegation Comparison   `json:"by_delegation"`
	ByZone       Comparison   `json:"by_zone"`
	ByKind       Comparison   `json:"by_kind"`
	ByIndustry   Comparison   `json:"by_industry"`
	Stages       []StageCount `json:"stages"`
	Days         []DayCount   `json:"days"`
}

// Stages of a pairing in order; dropped is off the funnel.
var Stages = []string{"proposed", "contacted", "met", "negotiating", "intent", "agreement", "signed"}

// Kinds of project, demand first.
var Kinds = []string{"demand", "achievement", "capability", "hightech", "research", "finance"}

// summaryEditions are the editions up to and including ed, oldest first.
func (r *Reports) summaryEditions(ctx context.Context, ed Edition) ([]Edition, error) {
	var eds []Edition
	err := r.db.R.SelectContext(ctx, &eds, `SELECT id, number, name, year, starts_on, ends_on, city
		FROM editions WHERE number <= ? ORDER BY number`, ed.Number)
	if err != nil {
		return nil, fmt.Errorf("list editions: %w", err)
	}
	return eds, nil
}

// Summary computes the summary of an edition; delegation, when not "",
// limits every figure to the delegation of that name in each edition.
func (r *Reports) Summary(ctx context.Context, editionID int64, delegation string) (*Summary, error) {
	ed, err := r.edition(ctx, editionID)
	if err != nil {
		return nil, err
	}
	s := &Summary{Edition: ed, Delegation: delegation}
	if s.Editions, err = r.summaryEditions(ctx, ed); err != nil {
		return nil, err
	}
	q := summaryQuery{r: r, s: s, del: delegation}
	steps := []func(context.Context) error{q.overview, q.dimensions, q.stages, q.days}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, fmt.Errorf("summary of edition %d: %w", editionID, err)
		}
	}
	return s, nil
}

type summaryQuery struct {
	r   *Reports
	s   *Summary
	del string
}

// index maps edition IDs to their position in s.Editions.
func (q summaryQuery) index() map[int64]int {
	m := make(map[int64]int, len(q.s.Editions))
	for i, e := range q.s.Editions {
		m[e.ID] = i
	}
	return m
}

// compare runs a query answering (edition_id, name, value) rows for
// editions numbered up to the current one and arranges them by name.
// order, when given, fixes the row order (and keeps rows with no data);
// otherwise rows are sorted by the current figure, largest first.
func (q summaryQuery) compare(ctx context.Context, query string, order []string, args ...any) (Comparison, error) {
	rows, err := q.r.db.R.QueryContext(ctx, query, args...)
	if err != nil {
		return Comparison{}, err
	}
	defer rows.Close()
	idx, n := q.index(), len(q.s.Editions)
	byName := map[string][]float64{}
	for _, name := range order {
		byName[name] = make([]float64, n)
	}
	for rows.Next() {
		var ed int64
		var name string
		var v float64
		if err := rows.Scan(&ed, &name, &v); err != nil {
			return Comparison{}, err
		}
		i, ok := idx[ed]
		if !ok {
			continue
		}
		if byName[name] == nil {
			byName[name] = make([]float64, n)
		}
		byName[name][i] += v
	}
	if err := rows.Err(); err != nil {
		return Comparison{}, err
	}
	return arrange(byName, order), nil
}

func arrange(byName map[string][]float64, order []string) Comparison {
	c := Comparison{Rows: []ComparisonRow{}}
	for _, name := range order {
		c.Rows = append(c.Rows, ComparisonRow{Name: name, Values: byName[name]})
		delete(byName, name)
	}
	rest := make([]ComparisonRow, 0, len(byName))
	for name, v := range byName {
		rest = append(rest, ComparisonRow{Name: name, Values: v})
	}
	sort.Slice(rest, func(i, j int) bool {
		if a, b := rest[i].Current(), rest[j].Current(); a != b {
			return a > b
		}
		return rest[i].Name < rest[j].Name
	})
	c.Rows = append(c.Rows, rest...)
	return c
}

// Counters are the dashboard's live figures of the current edition.
type Counters struct {
	Projects   float64 `json:"projects"`
	Pairings   float64 `json:"pairings"`
	Effective  float64 `json:"effective"`
	Intents    float64 `json:"intents"` // pairings at intent or later
	Agreements float64 `json:"agreements"`
	Amount     float64 `json:"amount_wan"`
	Checkins   float64 `json:"checkins"`
	People     float64 `json:"people"`
}

// Counters picks the live figures from the overview.
func (s *Summary) Counters() Counters {
	get := func(key string) float64 {
		for _, r := range s.Overview.Rows {
			if r.Name == key {
				return r.Current()
			}
		}
		return 0
	}
	return Counters{
		Projects: get("reports.metric.projects"), Pairings: get("reports.metric.pairings"),
		Effective: get("reports.metric.effective"), Agreements: get("reports.metric.agreements"),
		Amount: get(MetricAmount), Checkins: get("reports.metric.checkins"), People: get("reports.metric.people"),
		Intents: s.reached("intent"),
	}
}

// reached is how many of the current edition's pairings got to stage.
func (s *Summary) reached(stage string) float64 {
	for _, st := range s.Stages {
		if st.Stage == stage {
			return float64(st.Reached)
		}
	}
	return 0
}
