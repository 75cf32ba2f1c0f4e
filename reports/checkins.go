package reports

import (
	"context"
	"fmt"
	"time"
)

var checkinColumns = []column{
	{key: "reports.col.id", kind: integer, width: 10},
	{key: "reports.col.scanned_at", kind: datetime, width: 20},
	{key: "reports.col.day", width: 12},
	{key: "reports.col.checkpoint", width: 20},
	{key: "reports.col.checkpoint_kind", width: 10},
	{key: "reports.col.attendee", width: 12},
	{key: "reports.col.organisation", width: 26},
	{key: "reports.col.category", width: 12},
	{key: "reports.col.delegation", width: 18},
	{key: "reports.col.verdict", width: 10},
	{key: "reports.col.reason", width: 24},
	{key: "reports.col.device", width: 14},
}

// checkinsSQL lists every scan, whatever its verdict, in the order they
// count, but rehearsal scans (演练), which are tests of the gates. A
// delegation sees the scans of its own attendees.
const checkinsSQL = `SELECT s.id, s.scanned_at, s.day, c.name, c.kind, COALESCE(a.name, ''), COALESCE(a.organisation, ''),
	COALESCE(a.category, ''), COALESCE(d.name, ''), s.verdict, s.reason, s.device
	FROM scans s JOIN checkpoints c ON c.id = s.checkpoint_id
	LEFT JOIN attendees a ON a.id = s.attendee_id LEFT JOIN delegations d ON d.id = a.delegation_id
	WHERE s.edition_id = ? AND NOT s.rehearsal AND (? = 0 OR a.delegation_id = ?)
	ORDER BY s.scanned_at, s.id`

func writeCheckins(ctx context.Context, j *job) error {
	t, err := j.b.newTable("reports.sheet.checkins", checkinColumns)
	if err != nil {
		return err
	}
	d := j.req.DelegationID
	rows, err := j.r.db.R.QueryContext(ctx, checkinsSQL, j.ed.ID, d, d)
	if err != nil {
		return fmt.Errorf("query scans: %w", err)
	}
	defer rows.Close()
	var (
		id                                                          int64
		at                                                          time.Time
		day, cp, kind, name, org, cat, del, verdict, reason, device string
	)
	vals := make([]any, len(checkinColumns))
	b := j.b
	for rows.Next() {
		if err := rows.Scan(&id, &at, &day, &cp, &kind, &name, &org, &cat, &del, &verdict, &reason, &device); err != nil {
			return fmt.Errorf("scan check-in: %w", err)
		}
		vals[0], vals[1], vals[2], vals[3] = id, at, day, cp
		vals[4], vals[5], vals[6] = b.label("reports.checkpoint", kind), name, org
		vals[7], vals[8], vals[9] = b.label("reports.category", cat), del, b.label("reports.verdict", verdict)
		vals[10], vals[11] = b.label("reports.reason", reason), device
		if err := t.add(vals...); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read scans: %w", err)
	}
	return t.close()
}
