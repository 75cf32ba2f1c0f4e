package reports

import (
	"context"
	"fmt"
)

// The summary's SQL. Every query covers the editions numbered up to the
// current one (the first ? is that number) and, when the next ? pair is
// not '', only the delegation of that name in each edition.

const (
	fromProjects = ` FROM projects p JOIN delegations d ON d.id = p.delegation_id JOIN editions e ON e.id = p.edition_id
	WHERE e.number <= ? AND (? = '' OR d.name = ?)`
	fromBooths = ` FROM booths b LEFT JOIN delegations d ON d.id = b.delegation_id JOIN editions e ON e.id = b.edition_id
	WHERE e.number <= ? AND (? = '' OR d.name = ?) AND b.state <> 'free'`
	fromAttendees = ` FROM attendees a LEFT JOIN delegations d ON d.id = a.delegation_id JOIN editions e ON e.id = a.edition_id
	WHERE e.number <= ? AND (? = '' OR d.name = ?)`
	fromScans = ` FROM scans s LEFT JOIN attendees a ON a.id = s.attendee_id LEFT JOIN delegations d ON d.id = a.delegation_id
	JOIN editions e ON e.id = s.edition_id WHERE e.number <= ? AND (? = '' OR d.name = ?) AND s.verdict = 'accepted'
	AND NOT s.rehearsal`
	// A pairing counts for a delegation when either side is its own.
	fromPairings = ` FROM pairings pr JOIN editions e ON e.id = pr.edition_id
	WHERE e.number <= ? AND (? = '' OR EXISTS (SELECT 1 FROM projects p JOIN delegations d ON d.id = p.delegation_id
		WHERE p.id IN (pr.demand_id, pr.supply_id) AND d.name = ?))`
)

// metric is one line of the overview: a catalogue key and the query that
// answers (edition_id, key, value) per edition.
type metric struct {
	key, query string
}

var metrics = []metric{
	{"reports.metric.delegations", `SELECT d.edition_id, 'm', COUNT(*) FROM delegations d JOIN editions e ON e.id = d.edition_id
		WHERE e.number <= ? AND (? = '' OR d.name = ?) GROUP BY d.edition_id`},
	{"reports.metric.projects", `SELECT p.edition_id, 'm', COUNT(*)` + fromProjects + ` GROUP BY p.edition_id`},
	{"reports.metric.demands", `SELECT p.edition_id, 'm', COUNT(*)` + fromProjects + ` AND p.kind = 'demand' GROUP BY p.edition_id`},
	{"reports.metric.major", `SELECT p.edition_id, 'm', COUNT(*)` + fromProjects + ` AND p.major GROUP BY p.edition_id`},
	{"reports.metric.selected", `SELECT p.edition_id, 'm', COUNT(*)` + fromProjects + ` AND p.status = 'selected' GROUP BY p.edition_id`},
	{"reports.metric.booths", `SELECT b.edition_id, 'm', COUNT(*)` + fromBooths + ` GROUP BY b.edition_id`},
	{"reports.metric.attendees", `SELECT a.edition_id, 'm', COUNT(*)` + fromAttendees + ` GROUP BY a.edition_id`},
	{"reports.metric.people", `SELECT s.edition_id, 'm', COUNT(DISTINCT s.attendee_id)` + fromScans + ` GROUP BY s.edition_id`},
	{"reports.metric.checkins", `SELECT s.edition_id, 'm', COUNT(*)` + fromScans + ` GROUP BY s.edition_id`},
	{"reports.metric.pairings", `SELECT pr.edition_id, 'm', COUNT(*)` + fromPairings + ` GROUP BY pr.edition_id`},
	{"reports.metric.effective", `SELECT pr.edition_id, 'm', COUNT(*)` + fromPairings +
		` AND pr.stage IN ('met','negotiating','intent','agreement','signed') GROUP BY pr.edition_id`},
	{"reports.metric.agreements", `SELECT pr.edition_id, 'm', COUNT(*)` + fromPairings +
		` AND pr.stage IN ('agreement','signed') GROUP BY pr.edition_id`},
	// The amount is summed exactly, in hundredths of 万元, over the amounts a
	// pairing may carry (0 < x ≤ 10,000,000): a value written into the table
	// by hand (1e308, Inf, NaN) is left out instead of turning the total, and
	// every page that shows it, into +Inf.
	{"reports.metric.amount", `SELECT pr.edition_id, 'm', CAST(COALESCE(SUM(CASE WHEN pr.amount_wan > 0
		AND pr.amount_wan <= 10000000 THEN CAST(ROUND(pr.amount_wan * 100) AS BIGINT) ELSE 0 END), 0) / 100.0
		AS DOUBLE PRECISION)` + fromPairings +
		` AND pr.stage IN ('agreement','signed') GROUP BY pr.edition_id`},
}

// MetricAmount is the overview line of signed amounts (万元), written with
// decimals where the other lines are counts.
const MetricAmount = "reports.metric.amount"

func (q summaryQuery) args() []any { return []any{q.s.Edition.Number, q.del, q.del} }

// overview fills the overview's lines, one query per figure.
func (q summaryQuery) overview(ctx context.Context) error {
	q.s.Overview = Comparison{Rows: []ComparisonRow{}}
	for _, m := range metrics {
		c, err := q.compare(ctx, m.query, []string{"m"}, q.args()...)
		if err != nil {
			return fmt.Errorf("%s: %w", m.key, err)
		}
		q.s.Overview.Rows = append(q.s.Overview.Rows, ComparisonRow{Name: m.key, Values: c.Rows[0].Values})
	}
	return nil
}

// dimensions fills the totals by delegation, zone, kind and industry.
func (q summaryQuery) dimensions(ctx context.Context) error {
	var err error
	s, a := q.s, q.args()
	// Delegations with no project still show, as zero.
	s.ByDelegation, err = q.compare(ctx, `SELECT d.edition_id, d.name, COUNT(p.id) FROM delegations d
		JOIN editions e ON e.id = d.edition_id LEFT JOIN projects p ON p.delegation_id = d.id
		WHERE e.number <= ? AND (? = '' OR d.name = ?) GROUP BY d.edition_id, d.name`, nil, a...)
	if err != nil {
		return fmt.Errorf("by delegation: %w", err)
	}
	s.ByZone, err = q.compare(ctx, `SELECT z.edition_id, z.name, COUNT(b.id) FROM zones z
		JOIN editions e ON e.id = z.edition_id
		LEFT JOIN booths b ON b.zone_id = z.id AND b.state <> 'free'
			AND (? = '' OR b.delegation_id IN (SELECT id FROM delegations WHERE name = ?))
		WHERE e.number <= ? GROUP BY z.edition_id, z.name`, nil, q.del, q.del, s.Edition.Number)
	if err != nil {
		return fmt.Errorf("by zone: %w", err)
	}
	s.ByKind, err = q.compare(ctx, `SELECT p.edition_id, p.kind, COUNT(*)`+fromProjects+` GROUP BY p.edition_id, p.kind`, Kinds, a...)
	if err != nil {
		return fmt.Errorf("by kind: %w", err)
	}
	s.ByIndustry, err = q.compare(ctx, `SELECT p.edition_id, p.industry, COUNT(*)`+fromProjects+` GROUP BY p.edition_id, p.industry`, nil, a...)
	if err != nil {
		return fmt.Errorf("by industry: %w", err)
	}
	return nil
}

// stages counts the current edition's pairings by stage, and how many got
// at least that far; dropped pairings are left off the funnel.
func (q summaryQuery) stages(ctx context.Context) error {
	rows, err := q.r.db.R.QueryContext(ctx, `SELECT pr.stage, COUNT(*) FROM pairings pr
		WHERE pr.edition_id = ? AND (? = '' OR EXISTS (SELECT 1 FROM projects p JOIN delegations d ON d.id = p.delegation_id
			WHERE p.id IN (pr.demand_id, pr.supply_id) AND d.name = ?)) GROUP BY pr.stage`, q.s.Edition.ID, q.del, q.del)
	if err != nil {
		return fmt.Errorf("stages: %w", err)
	}
	defer rows.Close()
	at := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return fmt.Errorf("stages: %w", err)
		}
		at[st] = n
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("stages: %w", err)
	}
	q.s.Stages = funnel(at)
	return nil
}

// funnel turns counts at each stage into the funnel: reached[i] is the
// number of pairings at stage i or any later one.
func funnel(at map[string]int) []StageCount {
	out := make([]StageCount, len(Stages))
	reached := 0
	for i := len(Stages) - 1; i >= 0; i-- {
		reached += at[Stages[i]]
		out[i] = StageCount{Stage: Stages[i], At: at[Stages[i]], Reached: reached}
	}
	return out
}

// days counts the current edition's accepted check-ins per day.
func (q summaryQuery) days(ctx context.Context) error {
	q.s.Days = []DayCount{}
	err := q.r.db.R.SelectContext(ctx, &q.s.Days, `SELECT s.day AS day, COUNT(*) AS accepted,
		COUNT(DISTINCT s.attendee_id) AS people
		FROM scans s LEFT JOIN attendees a ON a.id = s.attendee_id LEFT JOIN delegations d ON d.id = a.delegation_id
		WHERE s.edition_id = ? AND s.verdict = 'accepted' AND NOT s.rehearsal AND (? = '' OR d.name = ?)
		GROUP BY s.day ORDER BY s.day`, q.s.Edition.ID, q.del, q.del)
	if err != nil {
		return fmt.Errorf("check-ins per day: %w", err)
	}
	return nil
}
