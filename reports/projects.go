package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"huizhan/internal/pii"
)

var projectColumns = []column{
	{key: "reports.col.id", kind: integer, width: 8},
	{key: "reports.col.delegation", width: 18},
	{key: "reports.col.kind", width: 12},
	{key: "reports.col.title", width: 40},
	{key: "reports.col.industry", width: 14},
	{key: "reports.col.organisation", width: 30},
	{key: "reports.col.keywords", width: 24},
	{key: "reports.col.contact_name", width: 10},
	{key: "reports.col.contact_phone", width: 15},
	{key: "reports.col.major", width: 10},
	{key: "reports.col.status", width: 10},
	{key: "reports.col.summary", width: 50},
	{key: "reports.col.created_at", kind: datetime, width: 20},
}

// projectsSQL lists an edition's projects, of one delegation when the
// second parameter is not 0.
const projectsSQL = `SELECT p.id, d.name, p.kind, p.title, p.industry, p.organisation, p.keywords,
	p.contact_name, p.contact_phone, p.major, p.status, p.summary, p.created_at
	FROM projects p JOIN delegations d ON d.id = p.delegation_id
	WHERE p.edition_id = ? AND (? = 0 OR p.delegation_id = ?)
	ORDER BY d.name, p.kind, p.id`

func writeProjects(ctx context.Context, j *job) error {
	t, err := j.b.newTable("reports.sheet.projects", projectColumns)
	if err != nil {
		return err
	}
	rows, err := j.r.db.R.QueryContext(ctx, projectsSQL, j.ed.ID, j.req.DelegationID, j.req.DelegationID)
	if err != nil {
		return fmt.Errorf("query projects: %w", err)
	}
	defer rows.Close()
	var (
		id                                                int64
		del, kind, title, ind, org, kw, cname, cphone, st string
		summary                                           string
		major                                             bool
		created                                           time.Time
	)
	for rows.Next() {
		if err := rows.Scan(&id, &del, &kind, &title, &ind, &org, &kw, &cname, &cphone, &major, &st, &summary, &created); err != nil {
			return fmt.Errorf("scan project: %w", err)
		}
		if j.req.MaskPhones {
			cphone = pii.MaskPhone(cphone)
		}
		err := t.add(id, del, j.b.label("reports.kind", kind), title, ind, org, keywords(kw), cname, cphone,
			j.b.yesNo(major), j.b.label("reports.status", st), summary, created)
		if err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read projects: %w", err)
	}
	return t.close()
}

// keywords shows the stored JSON list as 关键词1、关键词2.
func keywords(raw string) string {
	var kw []string
	if json.Unmarshal([]byte(raw), &kw) != nil {
		return raw
	}
	return strings.Join(kw, "、")
}
