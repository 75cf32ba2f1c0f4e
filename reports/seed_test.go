package reports

import (
	"fmt"
	"os"
	"testing"
	"time"

	"huizhan/booths"
	"huizhan/checkin"
	"huizhan/conference"
	"huizhan/conference/roadshow"
	"huizhan/internal/auth"
	"huizhan/internal/db"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/i18n"
	"huizhan/templates"
)

// sets are the schemas the reports read, in dependency order. The
// pairing schema is read from its folder rather than through the pairing
// package, so these tests do not depend on that package's Go code.
func sets() []db.Migrations {
	return []db.Migrations{conference.Migrations(), auth.Migrations(), roadshow.Migrations(),
		booths.Migrations(), checkin.Migrations(),
		{Package: "pairing", FS: os.DirFS("../conference/pairing/migrations")}}
}

// fixture is a database with three editions and some of everything; the
// tests compare workbooks against it by querying it again.
type fixture struct {
	d        *db.DB
	r        *Reports
	editions []int64 // 1st, 2nd, 3rd
	mianyang int64   // 绵阳市科协 in the 3rd edition
	chengdu  int64   // 成都市科协 in the 3rd edition
}

// formula is typed text that looks like a formula; it must stay text.
const formula = `=HYPERLINK("http://evil.example","点我")`

var seedNow = time.Date(2024, 1, 18, 2, 30, 0, 0, time.UTC) // 10:30 in Beijing

// insert runs an INSERT and returns the new row's id. RETURNING rather
// than LastInsertId, which PostgreSQL does not have.
func insert(t testing.TB, d *db.DB, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := d.W.QueryRow(q+" RETURNING id", args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

// exec runs a statement whose rows have no id of their own.
func exec(t testing.TB, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.W.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func catalog(t testing.TB) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load(templates.FS, "locales")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// seed builds the fixture: the 2nd edition has 11 Mianyang projects and
// the 3rd 20 (the +81.82% of the news page); Chengdu has none in the 2nd.
func seed(t testing.TB) *fixture {
	t.Helper()
	return seedOn(t, dbtest.Open(t, sets()...))
}

func seedOn(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{d: d, r: New(d, catalog(t))}
	f.r.now = func() time.Time { return seedNow }
	for n := 1; n <= 3; n++ {
		f.editions = append(f.editions, insert(t, d, `INSERT INTO editions (number, name, year, starts_on, ends_on, city, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, '成都', ?, ?)`, n, fmt.Sprintf("第%d届天府科技云服务大会", n), 2021+n,
			fmt.Sprintf("%d-01-18", 2021+n), fmt.Sprintf("%d-01-19", 2021+n), seedNow, seedNow))
	}
	counts := []struct {
		edition       int
		mianyang, cdu int
	}{{0, 5, 3}, {1, 11, 0}, {2, 20, 4}}
	for _, c := range counts {
		ed := f.editions[c.edition]
		m := insert(t, d, `INSERT INTO delegations (edition_id, name, region, created_at, updated_at) VALUES (?, '绵阳市科协', '四川省绵阳市', ?, ?)`, ed, seedNow, seedNow)
		cd := insert(t, d, `INSERT INTO delegations (edition_id, name, region, created_at, updated_at) VALUES (?, '成都市科协', '四川省成都市', ?, ?)`, ed, seedNow, seedNow)
		for i := 0; i < c.mianyang; i++ {
			f.project(t, ed, m, "achievement", fmt.Sprintf("绵阳成果%d", i), "电子信息")
		}
		for i := 0; i < c.cdu; i++ {
			f.project(t, ed, cd, "demand", fmt.Sprintf("成都需求%d", i), "装备制造")
		}
		if c.edition == 2 {
			f.mianyang, f.chengdu = m, cd
		}
	}
	cur := f.editions[2]
	f.project(t, cur, f.mianyang, "demand", formula, "生命健康")
	f.seedCurrent(t, cur)
	return f
}

func (f *fixture) project(t testing.TB, ed, del int64, kind, title, industry string) int64 {
	return insert(t, f.d, `INSERT INTO projects (edition_id, delegation_id, kind, title, industry, organisation, keywords,
		contact_name, contact_phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '["芯片","传感器"]', '张三', '+86 138 0000 0000', ?, ?)`,
		ed, del, kind, title, industry, "单位"+title, seedNow, seedNow)
}

// seedCurrent adds booths, a roadshow, pairings and scans to the 3rd edition.
func (f *fixture) seedCurrent(t testing.TB, ed int64) {
	d := f.d
	var mProjects, cProjects []int64
	if err := d.R.Select(&mProjects, `SELECT id FROM projects WHERE delegation_id = ? ORDER BY id`, f.mianyang); err != nil {
		t.Fatal(err)
	}
	if err := d.R.Select(&cProjects, `SELECT id FROM projects WHERE delegation_id = ? ORDER BY id`, f.chengdu); err != nil {
		t.Fatal(err)
	}
	zone := insert(t, d, `INSERT INTO zones (edition_id, name, hall, key_zone, created_at, updated_at) VALUES (?, '绵阳重点展区', '1号馆', TRUE, ?, ?)`, ed, seedNow, seedNow)
	b1 := insert(t, d, `INSERT INTO booths (edition_id, zone_id, code, area_m2, state, delegation_id, created_at, updated_at) VALUES (?, ?, 'A01', 18, 'assigned', ?, ?, ?)`, ed, zone, f.mianyang, seedNow, seedNow)
	exec(t, d, `INSERT INTO booths (edition_id, zone_id, code, area_m2, state, delegation_id, created_at, updated_at) VALUES (?, ?, 'A02', 9, 'assigned', ?, ?, ?)`, ed, zone, f.chengdu, seedNow, seedNow)
	exec(t, d, `INSERT INTO booths (edition_id, zone_id, code, area_m2, created_at, updated_at) VALUES (?, ?, 'A03', 9, ?, ?)`, ed, zone, seedNow, seedNow)
	exec(t, d, `INSERT INTO booth_projects (booth_id, project_id) VALUES (?, ?), (?, ?)`, b1, mProjects[0], b1, mProjects[1])

	room := insert(t, d, `INSERT INTO rooms (edition_id, name, created_at) VALUES (?, '主会场', ?)`, ed, seedNow)
	sess := insert(t, d, `INSERT INTO agenda_sessions (edition_id, room_id, kind, title, starts_at, ends_at, created_at, updated_at)
		VALUES (?, ?, 'roadshow', '电子信息路演', ?, ?, ?, ?)`, ed, room, seedNow, seedNow.Add(2*time.Hour), seedNow, seedNow)
	var slots []int64
	for i, p := range []int64{mProjects[0], cProjects[0]} {
		at := seedNow.Add(time.Duration(i) * 10 * time.Minute)
		slots = append(slots, insert(t, d, `INSERT INTO slots (session_id, edition_id, room_id, project_id, presenter, starts_at, ends_at, position, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, sess, ed, room, p, fmt.Sprintf("路演人%d", i), at, at.Add(10*time.Minute), i, seedNow, seedNow))
	}
	for j := 0; j < 2; j++ {
		judge := insert(t, d, `INSERT INTO judges (session_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`, sess, fmt.Sprintf("评委%d", j), fmt.Sprintf("h%d", j), seedNow)
		for _, c := range []string{"innovation", "market"} {
			exec(t, d, `INSERT INTO scores (judge_id, slot_id, criterion, score, updated_at) VALUES (?, ?, ?, ?, ?)`, judge, slots[0], c, 7+j, seedNow)
		}
	}

	// Pairings: Chengdu's demands with Mianyang's achievements.
	stages := []string{"proposed", "met", "agreement", "signed"}
	for i, st := range stages {
		var amount any
		var on any
		if st == "agreement" || st == "signed" {
			amount, on = 150.5*float64(i), "2024-01-19"
		}
		p := insert(t, d, `INSERT INTO pairings (edition_id, demand_id, supply_id, stage, amount_wan, signed_on, signatories, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, '李四；王五', ?, ?)`, ed, cProjects[i], mProjects[i+2], st, amount, on, seedNow, seedNow)
		if i == 1 {
			exec(t, d, `INSERT INTO meetings (pairing_id, session_id, edition_id, table_no, starts_at, ends_at, demand_id, supply_id, created_at)
				VALUES (?, ?, ?, 3, ?, ?, ?, ?, ?)`, p, sess, ed, seedNow, seedNow.Add(20*time.Minute), cProjects[i], mProjects[i+2], seedNow)
		}
	}

	gate := insert(t, d, `INSERT INTO checkpoints (edition_id, name, kind, rule, created_at, updated_at) VALUES (?, '1号门', 'gate', 'once_per_day', ?, ?)`, ed, seedNow, seedNow)
	am := insert(t, d, `INSERT INTO attendees (edition_id, name, organisation, category, delegation_id, code, created_at, updated_at) VALUES (?, '赵六', '@绵阳科技城', 'delegation', ?, 'CODE1', ?, ?)`, ed, f.mianyang, seedNow, seedNow)
	ac := insert(t, d, `INSERT INTO attendees (edition_id, name, organisation, category, delegation_id, code, created_at, updated_at) VALUES (?, '钱七', '成都某企业', 'enterprise', ?, 'CODE2', ?, ?)`, ed, f.chengdu, seedNow, seedNow)
	scans := []struct {
		att     int64
		verdict string
		reason  string
		day     int
	}{{am, "accepted", "", 0}, {am, "duplicate", "", 0}, {ac, "accepted", "", 0}, {am, "accepted", "", 1}, {0, "rejected", "forged", 1}}
	for i, s := range scans {
		at := seedNow.Add(time.Duration(s.day)*24*time.Hour + time.Duration(i)*time.Minute)
		var att any
		if s.att != 0 {
			att = s.att
		}
		exec(t, d, `INSERT INTO scans (scan_id, checkpoint_id, edition_id, attendee_id, code, verdict, reason, device, server_at, scanned_at, day)
			VALUES (?, ?, ?, ?, 'X', ?, ?, '-dev', ?, ?, ?)`, fmt.Sprintf("s%d", i), gate, ed, att, s.verdict, s.reason, at, at, at.In(china).Format("2006-01-02"))
	}
}
