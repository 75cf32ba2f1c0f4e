package reports

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

var roadshowColumns = []column{
	{key: "reports.col.session", width: 30},
	{key: "reports.col.session_kind", width: 10},
	{key: "reports.col.room", width: 14},
	{key: "reports.col.starts_at", kind: datetime, width: 20},
	{key: "reports.col.ends_at", kind: datetime, width: 20},
	{key: "reports.col.title", width: 36},
	{key: "reports.col.delegation", width: 18},
	{key: "reports.col.organisation", width: 26},
	{key: "reports.col.presenter", width: 12},
	{key: "reports.col.judges", kind: integer, width: 10},
	{key: "reports.col.average_score", kind: decimal, width: 12},
	{key: "reports.col.judge_total", kind: decimal, width: 14},
}

// roadshowsSQL lists the slots with their scores: how many judges scored,
// the mean of all scores (1–10) and the mean of each judge's total.
const roadshowsSQL = `SELECT s.title, s.kind, r.name, sl.starts_at, sl.ends_at, p.title, d.name, p.organisation,
	sl.presenter, COALESCE(sc.judges, 0), sc.mean, sc.per_judge
	FROM slots sl
	JOIN agenda_sessions s ON s.id = sl.session_id JOIN rooms r ON r.id = sl.room_id
	JOIN projects p ON p.id = sl.project_id JOIN delegations d ON d.id = p.delegation_id
	LEFT JOIN (SELECT slot_id, COUNT(DISTINCT judge_id) AS judges, AVG(score) AS mean,
		SUM(score) * 1.0 / COUNT(DISTINCT judge_id) AS per_judge FROM scores GROUP BY slot_id) sc ON sc.slot_id = sl.id
	WHERE sl.edition_id = ? AND (? = 0 OR p.delegation_id = ?)
	ORDER BY sl.starts_at, r.name, sl.position`

func writeRoadshows(ctx context.Context, j *job) error {
	t, err := j.b.newTable("reports.sheet.roadshows", roadshowColumns)
	if err != nil {
		return err
	}
	d := j.req.DelegationID
	rows, err := j.r.db.R.QueryContext(ctx, roadshowsSQL, j.ed.ID, d, d)
	if err != nil {
		return fmt.Errorf("query roadshow slots: %w", err)
	}
	defer rows.Close()
	var (
		session, kind, room, title, del, org, presenter string
		starts, ends                                    time.Time
		judges                                          int64
		mean, perJudge                                  sql.NullFloat64
	)
	for rows.Next() {
		if err := rows.Scan(&session, &kind, &room, &starts, &ends, &title, &del, &org, &presenter, &judges, &mean, &perJudge); err != nil {
			return fmt.Errorf("scan slot: %w", err)
		}
		err := t.add(session, j.b.label("reports.session", kind), room, starts, ends, title, del, org, presenter,
			judges, nullFloat(mean), nullFloat(perJudge))
		if err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read roadshow slots: %w", err)
	}
	return t.close()
}
