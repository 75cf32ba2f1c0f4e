package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huizhan/conference"
	"huizhan/internal/civil"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
)

func TestImportProjectsCommand(t *testing.T) {
	dir := t.TempDir()
	path := dbtest.DSN(t)
	ctx := context.Background()
	d, err := openDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s := conference.NewStore(d)
	e, err := s.CreateEdition(ctx, conference.EditionInput{Number: 4, Name: "第四届", Year: 2025,
		StartsOn: mustParse(t, "2025-01-16"), EndsOn: mustParse(t, "2025-01-17"), City: "成都"})
	if err != nil {
		t.Fatal(err)
	}
	del, err := s.CreateDelegation(ctx, e.ID, conference.DelegationInput{Name: conference.Mianyang})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()

	var rows strings.Builder
	rows.WriteString("项目类别,项目名称,产业领域\n")
	for i := range 1200 {
		fmt.Fprintf(&rows, "科技成果,储能系统第%d号,双碳与新能源\n", i)
	}
	bad := rows.String() + "科技成果,,双碳与新能源\n"
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	args := []string{"import", "projects", "-db", path, "-edition", fmt.Sprint(e.ID), "-delegation", fmt.Sprint(del.ID)}
	out, code := huizhan(t, "", append(args, "-lang", "en", write("bad.csv", bad))...)
	if code != 1 || !strings.Contains(out, "row 1202, 项目名称: required") || !strings.Contains(out, "nothing was imported") {
		t.Fatalf("bad file: exit %d, output %q", code, out)
	}
	out, code = huizhan(t, "", append(args, write("good.csv", rows.String()))...)
	if code != 0 || !strings.Contains(out, "imported 1200 projects") || !strings.Contains(out, "100% 1200/1200") {
		t.Fatalf("good file: exit %d, output %q", code, out)
	}
	d, err = db.Open(path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.R.Get(&n, `SELECT COUNT(*) FROM projects WHERE delegation_id = ?`, del.ID); err != nil || n != 1200 {
		t.Errorf("%d projects in the database, %v", n, err)
	}
}

func mustParse(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
