package main

import (
	"bytes"
	"fmt"
	"regexp"
	"testing"

	"github.com/xuri/excelize/v2"

	"huizhan/conference"
	"huizhan/internal/web"
)

var maskedPhone = regexp.MustCompile(`^\S{3}\*{4}\S{4}$`)

// TestContactPhonesMasked: a project's contact phone is whole for
// organisers and the project's own delegation only; coordinators, staff,
// leaders and their projects workbook see 138****0001.
func TestContactPhonesMasked(t *testing.T) {
	env := newTestEnv(t)
	ed := env.demo.Current().ID
	mianyang, _ := env.demo.DelegationNamed(ed, conference.Mianyang)
	var list web.List[conference.Project]
	env.do("GET", fmt.Sprintf("/api/v1/editions/%d/projects?delegation_id=%d&per_page=20", ed, mianyang.ID), "organiser", nil, 200, &list)
	var p conference.Project
	for _, it := range list.Items {
		if len(it.ContactPhone) >= 8 {
			p = it
			break
		}
	}
	if p.ID == 0 {
		t.Fatal("no Mianyang project with a contact phone in the demo")
	}
	for _, tc := range []struct {
		role   string
		masked bool
	}{
		{"organiser", false}, {"delegation", false}, // the delegation account is Mianyang's
		{"coordinator", true}, {"staff", true}, {"leader", true},
	} {
		var got conference.Project
		env.do("GET", fmt.Sprintf("/api/v1/projects/%d", p.ID), tc.role, nil, 200, &got)
		if tc.masked != maskedPhone.MatchString(got.ContactPhone) || (!tc.masked && got.ContactPhone != p.ContactPhone) {
			t.Errorf("%s reads contact phone %q (whole: %q)", tc.role, got.ContactPhone, p.ContactPhone)
		}
		var l web.List[conference.Project]
		env.do("GET", fmt.Sprintf("/api/v1/editions/%d/projects?delegation_id=%d&per_page=5", ed, mianyang.ID), tc.role, nil, 200, &l)
		for _, it := range l.Items {
			if it.ContactPhone != "" && tc.masked != maskedPhone.MatchString(it.ContactPhone) {
				t.Errorf("%s lists contact phone %q", tc.role, it.ContactPhone)
			}
		}
	}
	for role, masked := range map[string]bool{"organiser": false, "leader": true} {
		raw := env.do("GET", fmt.Sprintf("/api/v1/editions/%d/reports/projects.xlsx", ed), role, nil, 200, nil)
		x, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows(x.GetSheetList()[1])
		x.Close()
		if err != nil || len(rows) < 3 {
			t.Fatalf("projects sheet: %d rows, %v", len(rows), err)
		}
		col := -1
		for i, h := range rows[0] {
			if h == "联系电话" {
				col = i
			}
		}
		if col < 0 {
			t.Fatalf("no 联系电话 column in %v", rows[0])
		}
		n := 0
		for _, r := range rows[1:] {
			if col < len(r) && r[col] != "" {
				n++
				if masked != maskedPhone.MatchString(r[col]) {
					t.Fatalf("%s's workbook shows %q", role, r[col])
				}
			}
		}
		if n == 0 {
			t.Errorf("%s's workbook has no phones to check", role)
		}
	}
}
