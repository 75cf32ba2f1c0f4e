package reports

import (
	"context"
	"fmt"

	"huizhan/internal/db"
)

var boothColumns = []column{
	{key: "reports.col.zone", width: 20},
	{key: "reports.col.hall", width: 12},
	{key: "reports.col.key_zone", width: 10},
	{key: "reports.col.online", width: 8},
	{key: "reports.col.booth", width: 10},
	{key: "reports.col.area_m2", kind: decimal, width: 12},
	{key: "reports.col.booth_state", width: 10},
	{key: "reports.col.exhibitor", width: 18},
	{key: "reports.col.shown_count", kind: integer, width: 10},
	{key: "reports.col.shown_projects", width: 60},
}

// boothsSQL lists the booths with their exhibitor and the projects shown
// there (the %s is the titles joined, see shownTitles). A delegation sees
// the booths it holds.
const boothsSQL = `SELECT z.name, z.hall, z.key_zone, z.online, b.code, b.area_m2, b.state, COALESCE(d.name, ''),
	(SELECT COUNT(*) FROM booth_projects bp WHERE bp.booth_id = b.id),
	COALESCE((SELECT %s FROM booth_projects bp JOIN projects p ON p.id = bp.project_id
		WHERE bp.booth_id = b.id), '')
	FROM booths b JOIN zones z ON z.id = b.zone_id LEFT JOIN delegations d ON d.id = b.delegation_id
	WHERE b.edition_id = ? AND (? = 0 OR b.delegation_id = ?)
	ORDER BY z.name, b.code`

// boothsQuery is boothsSQL for the database's dialect: SQLite joins
// strings with group_concat, PostgreSQL with string_agg. PostgreSQL is
// given the order SQLite's primary-key scan of booth_projects yields, so
// both list a booth's projects alike.
func boothsQuery(d db.Dialect) string {
	agg := "group_concat(p.title, '；')"
	if d == db.Postgres {
		agg = "string_agg(p.title, '；' ORDER BY bp.project_id)"
	}
	return fmt.Sprintf(boothsSQL, agg)
}

func writeBooths(ctx context.Context, j *job) error {
	t, err := j.b.newTable("reports.sheet.booths", boothColumns)
	if err != nil {
		return err
	}
	d := j.req.DelegationID
	rows, err := j.r.db.R.QueryContext(ctx, boothsQuery(j.r.db.Dialect()), j.ed.ID, d, d)
	if err != nil {
		return fmt.Errorf("query booths: %w", err)
	}
	defer rows.Close()
	var (
		zone, hall, code, state, exhibitor, shown string
		key, online                               bool
		area                                      float64
		count                                     int64
	)
	for rows.Next() {
		if err := rows.Scan(&zone, &hall, &key, &online, &code, &area, &state, &exhibitor, &count, &shown); err != nil {
			return fmt.Errorf("scan booth: %w", err)
		}
		err := t.add(zone, hall, j.b.yesNo(key), j.b.yesNo(online), code, area, j.b.label("reports.booth_state", state),
			exhibitor, count, shown)
		if err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read booths: %w", err)
	}
	return t.close()
}
