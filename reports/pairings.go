package reports

import (
	"context"
	"database/sql"
	"fmt"
)

// pairingFrom joins a pairing to both projects and their delegations. A
// delegation sees the pairings either of whose sides is its own.
const pairingFrom = ` FROM pairings pr
	JOIN projects dp ON dp.id = pr.demand_id JOIN delegations dd ON dd.id = dp.delegation_id
	JOIN projects sp ON sp.id = pr.supply_id JOIN delegations sd ON sd.id = sp.delegation_id
	WHERE pr.edition_id = ? AND (? = 0 OR dp.delegation_id = ? OR sp.delegation_id = ?)`

var signedColumns = []column{
	{key: "reports.col.id", kind: integer, width: 8},
	{key: "reports.col.demand_title", width: 34},
	{key: "reports.col.demand_delegation", width: 18},
	{key: "reports.col.demand_organisation", width: 26},
	{key: "reports.col.supply_title", width: 34},
	{key: "reports.col.supply_delegation", width: 18},
	{key: "reports.col.supply_organisation", width: 26},
	{key: "reports.col.industry", width: 14},
	{key: "reports.col.stage", width: 16},
	{key: "reports.col.amount_wan", kind: decimal, width: 14},
	{key: "reports.col.signed_on", kind: date, width: 12},
	{key: "reports.col.signatories", width: 30},
}

const signedSQL = `SELECT pr.id, dp.title, dd.name, dp.organisation, sp.title, sd.name, sp.organisation,
	dp.industry, pr.stage, pr.amount_wan, pr.signed_on, pr.signatories` + pairingFrom + `
	AND pr.stage IN ('agreement', 'signed') ORDER BY pr.signed_on, pr.id`

// writeSigned lists the pairings at agreement or signed: the cooperation
// agreements leaders count (a pairing moved back is no longer at either),
// then the corrections on a sheet of their own.
func writeSigned(ctx context.Context, j *job) error {
	if err := writeSignedPairings(ctx, j); err != nil {
		return err
	}
	return writeCorrections(ctx, j)
}

func writeSignedPairings(ctx context.Context, j *job) error {
	t, err := j.b.newTable("reports.sheet.signed", signedColumns)
	if err != nil {
		return err
	}
	d := j.req.DelegationID
	rows, err := j.r.db.R.QueryContext(ctx, signedSQL, j.ed.ID, d, d, d)
	if err != nil {
		return fmt.Errorf("query signed pairings: %w", err)
	}
	defer rows.Close()
	var (
		id                                        int64
		dt, dd, dorg, st, sd, sorg, ind, stg, sig string
		amount                                    sql.NullFloat64
		on                                        sql.NullTime
	)
	for rows.Next() {
		if err := rows.Scan(&id, &dt, &dd, &dorg, &st, &sd, &sorg, &ind, &stg, &amount, &on, &sig); err != nil {
			return fmt.Errorf("scan signed pairing: %w", err)
		}
		err := t.add(id, dt, dd, dorg, st, sd, sorg, ind, j.b.label("reports.stage", stg), nullFloat(amount), nullDate(on), sig)
		if err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read signed pairings: %w", err)
	}
	return t.close()
}

var pairingColumns = []column{
	{key: "reports.col.id", kind: integer, width: 8},
	{key: "reports.col.demand_title", width: 34},
	{key: "reports.col.demand_delegation", width: 18},
	{key: "reports.col.supply_title", width: 34},
	{key: "reports.col.supply_delegation", width: 18},
	{key: "reports.col.industry", width: 14},
	{key: "reports.col.stage", width: 16},
	{key: "reports.col.amount_wan", kind: decimal, width: 14},
	{key: "reports.col.signed_on", kind: date, width: 12},
	{key: "reports.col.meeting_session", width: 26},
	{key: "reports.col.meeting_table", kind: integer, width: 10},
	{key: "reports.col.meeting_at", kind: datetime, width: 20},
	{key: "reports.col.created_at", kind: datetime, width: 20},
}

const pairingsSQL = `SELECT pr.id, dp.title, dd.name, sp.title, sd.name, dp.industry, pr.stage,
	pr.amount_wan, pr.signed_on, COALESCE(s.title, ''), m.table_no, m.starts_at, pr.created_at` + `
	FROM pairings pr
	JOIN projects dp ON dp.id = pr.demand_id JOIN delegations dd ON dd.id = dp.delegation_id
	JOIN projects sp ON sp.id = pr.supply_id JOIN delegations sd ON sd.id = sp.delegation_id
	LEFT JOIN meetings m ON m.pairing_id = pr.id LEFT JOIN agenda_sessions s ON s.id = m.session_id
	WHERE pr.edition_id = ? AND (? = 0 OR dp.delegation_id = ? OR sp.delegation_id = ?)
	ORDER BY pr.id`

// writePairings lists every pairing with its stage and meeting.
func writePairings(ctx context.Context, j *job) error {
	t, err := j.b.newTable("reports.sheet.pairings", pairingColumns)
	if err != nil {
		return err
	}
	d := j.req.DelegationID
	rows, err := j.r.db.R.QueryContext(ctx, pairingsSQL, j.ed.ID, d, d, d)
	if err != nil {
		return fmt.Errorf("query pairings: %w", err)
	}
	defer rows.Close()
	var (
		id                                int64
		dt, dd, st, sd, ind, stg, session string
		amount                            sql.NullFloat64
		on, meetAt                        sql.NullTime
		table                             sql.NullInt64
		created                           sql.NullTime
	)
	for rows.Next() {
		if err := rows.Scan(&id, &dt, &dd, &st, &sd, &ind, &stg, &amount, &on, &session, &table, &meetAt, &created); err != nil {
			return fmt.Errorf("scan pairing: %w", err)
		}
		err := t.add(id, dt, dd, st, sd, ind, j.b.label("reports.stage", stg), nullFloat(amount), nullDate(on),
			session, nullInt(table), nullTime(meetAt), nullTime(created))
		if err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read pairings: %w", err)
	}
	return t.close()
}
