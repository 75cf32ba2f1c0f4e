package reports

import (
	"context"
	"database/sql"
	"fmt"
)

// correctionColumns are the corrections sheet of the signed workbook: every
// change that moved a pairing backward, dropped or reopened it, or changed
// its amount, with the amount it took off and the reason given.
var correctionColumns = []column{
	{key: "reports.col.id", kind: integer, width: 8},
	{key: "reports.col.demand_title", width: 34},
	{key: "reports.col.supply_title", width: 34},
	{key: "reports.col.from_stage", width: 16},
	{key: "reports.col.to_stage", width: 16},
	{key: "reports.col.previous_amount_wan", kind: decimal, width: 14},
	{key: "reports.col.previous_signed_on", kind: date, width: 12},
	{key: "reports.col.amount_wan", kind: decimal, width: 14},
	{key: "reports.col.correction_reason", width: 36},
	{key: "reports.col.changed_by", width: 16},
	{key: "reports.col.changed_at", kind: datetime, width: 20},
}

const correctionsSQL = `SELECT pr.id, dp.title, sp.title, c.from_stage, c.to_stage, c.previous_amount_wan,
	c.previous_signed_on, c.amount_wan, c.reason, c.username, c.changed_at
	FROM pairing_changes c JOIN pairings pr ON pr.id = c.pairing_id
	JOIN projects dp ON dp.id = pr.demand_id JOIN projects sp ON sp.id = pr.supply_id
	WHERE pr.edition_id = ? AND (? = 0 OR dp.delegation_id = ? OR sp.delegation_id = ?) AND c.correction
	ORDER BY c.changed_at, c.id`

// writeCorrections adds the corrections sheet after the signed pairings.
func writeCorrections(ctx context.Context, j *job) error {
	t, err := j.b.newTable("reports.sheet.corrections", correctionColumns)
	if err != nil {
		return err
	}
	d := j.req.DelegationID
	rows, err := j.r.db.R.QueryContext(ctx, correctionsSQL, j.ed.ID, d, d, d)
	if err != nil {
		return fmt.Errorf("query corrections: %w", err)
	}
	defer rows.Close()
	var (
		id                         int64
		dt, st, from, to, why, who string
		previous, amount           sql.NullFloat64
		previousOn, at             sql.NullTime
	)
	for rows.Next() {
		if err := rows.Scan(&id, &dt, &st, &from, &to, &previous, &previousOn, &amount, &why, &who, &at); err != nil {
			return fmt.Errorf("scan correction: %w", err)
		}
		err := t.add(id, dt, st, j.b.label("reports.stage", from), j.b.label("reports.stage", to),
			nullFloat(previous), nullDate(previousOn), nullFloat(amount), why, who, nullTime(at))
		if err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read corrections: %w", err)
	}
	return t.close()
}
