package roadshow

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestReleaseNumberingAndChanges(t *testing.T) {
	f := newFixture(t)
	a := f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 16, 0))
	f.mustSlot(a.ID, f.project(0, "芯片", "电子信息", "selected"), "甲", at(0, 14, 0), at(0, 14, 10))
	s2 := f.mustSlot(a.ID, f.project(1, "电池", "电子信息", "selected"), "乙", at(0, 14, 10), at(0, 14, 20))
	s3 := f.mustSlot(a.ID, f.project(2, "种子", "农业种业", "selected"), "丙", at(0, 14, 20), at(0, 14, 30))

	pub, err := f.store.Published(f.ctx, f.edition)
	if err != nil || pub.Release != 0 || len(pub.Sessions) != 0 {
		t.Fatalf("before any release: %+v, %v", pub, err)
	}
	r1, err := f.store.Publish(f.ctx, f.edition, nil)
	if err != nil || r1.Release != 1 || len(r1.Changes) != 0 {
		t.Fatalf("release 1: %d, changes %v, %v", r1.Release, r1.Changes, err)
	}
	// After release 1: 电池 moves, 种子 is cancelled, a new pitch and a
	// new session appear. None of it is public until release 2.
	if _, err := f.store.UpdateSlot(f.ctx, s2.ID, SlotInput{Presenter: "乙", StartsAt: at(0, 15, 0), EndsAt: at(0, 15, 10)}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.DeleteSlot(f.ctx, s3.ID); err != nil {
		t.Fatal(err)
	}
	f.mustSlot(a.ID, f.project(2, "新药", "生命健康", "selected"), "丁", at(0, 14, 20), at(0, 14, 30))
	f.session("京川渝科创交流会", KindSpecial, "国际厅", at(0, 14, 0), at(0, 16, 30))
	pub, _ = f.store.Published(f.ctx, f.edition)
	if pub.Release != 1 || len(pub.Sessions) != 1 || len(pub.Sessions[0].Slots) != 3 {
		t.Fatalf("unreleased edits leaked into the public agenda: %+v", pub)
	}

	r2, err := f.store.Publish(f.ctx, f.edition, nil)
	if err != nil || r2.Release != 2 {
		t.Fatalf("release 2: %d, %v", r2.Release, err)
	}
	got := map[string]Change{}
	for _, c := range r2.Changes {
		got[c.Kind+" "+c.Type+" "+c.Title] = c
	}
	for _, want := range []string{"new session 京川渝科创交流会", "new slot 新药", "moved slot 电池", "cancelled slot 种子"} {
		if _, ok := got[want]; !ok {
			t.Errorf("change %q missing from %v", want, r2.Changes)
		}
	}
	if len(r2.Changes) != 4 {
		t.Errorf("%d changes, want 4: %+v", len(r2.Changes), r2.Changes)
	}
	if m := got["moved slot 电池"]; m.OldStartsAt == nil || !m.OldStartsAt.Equal(at(0, 14, 10)) || !m.StartsAt.Equal(at(0, 15, 0)) {
		t.Errorf("move %+v", m)
	}
	// The public agenda is release 2, sessions and slots in time order.
	pub, _ = f.store.Published(f.ctx, f.edition)
	if pub.Release != 2 || len(pub.Changes) != 4 || len(pub.Sessions) != 2 {
		t.Fatalf("public agenda %+v", pub)
	}
	var last time.Time
	for _, sl := range pub.Sessions[0].Slots {
		if sl.StartsAt.Before(last) {
			t.Errorf("slots out of time order")
		}
		last = sl.StartsAt
	}
	rs, _ := f.store.Releases(f.ctx, f.edition)
	if len(rs) != 2 || rs[0].Number != 2 || rs[1].Number != 1 {
		t.Errorf("releases %+v", rs)
	}
}

// unfold parses an iCalendar stream strictly: CRLF line ends, no line over
// 75 octets, continuation lines starting with a space. It returns the
// unfolded content lines.
func unfold(t *testing.T, b []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatal("feed does not end with CRLF")
	}
	raw := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	var lines []string
	for i, l := range raw {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Fatalf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if strings.HasPrefix(l, " ") {
			if len(lines) == 0 {
				t.Fatal("feed starts with a continuation line")
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	return lines
}

func TestICSFeed(t *testing.T) {
	title := "海外重大科创项目专场推介会：先进材料, 新能源; 生命健康与高端装备制造的国际合作路演（第一场）"
	a := Agenda{EditionID: 3, Release: 2, ReleasedAt: ptr(at(0, 8, 0)), Sessions: []AgendaSession{{
		ID: 7, Kind: KindSpecial, Title: title, Room: "国际厅, 二楼", StartsAt: at(1, 9, 30), EndsAt: at(1, 11, 30),
		Slots: []AgendaSlot{{ID: 11, Project: `高性能锂电池\材料`, Delegation: "绵阳市科协", Presenter: "张三",
			StartsAt: at(1, 9, 30), EndsAt: at(1, 9, 55)}},
	}}}
	var buf bytes.Buffer
	if err := WriteICS(&buf, a, "大会议程", "huizhan.test"); err != nil {
		t.Fatal(err)
	}
	lines := unfold(t, buf.Bytes())
	depth, events := 0, 0
	props := map[string][]string{}
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("line without a colon: %q", l)
		}
		switch name {
		case "BEGIN":
			depth++
			if value == "VEVENT" {
				events++
			}
		case "END":
			depth--
		}
		if depth < 0 {
			t.Fatal("END without BEGIN")
		}
		props[name] = append(props[name], value)
	}
	if depth != 0 || lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" || events != 2 {
		t.Fatalf("structure: depth %d, %d events, first %q", depth, events, lines[0])
	}
	if got := props["DTSTART"]; len(got) != 2 || got[0] != "20240119T013000Z" {
		t.Errorf("DTSTART %v, want UTC with Z", got)
	}
	wantSummary := strings.NewReplacer(",", `\,`, ";", `\;`).Replace(title)
	if props["SUMMARY"][0] != wantSummary {
		t.Errorf("unfolding did not restore the summary:\n%q\n%q", props["SUMMARY"][0], wantSummary)
	}
	if props["SUMMARY"][1] != `高性能锂电池\\材料` || props["LOCATION"][0] != `国际厅\, 二楼` {
		t.Errorf("escaping: %v %v", props["SUMMARY"], props["LOCATION"])
	}
	// Every physical line is valid UTF-8: folding never split a character.
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		if !utf8.ValidString(sc.Text()) {
			t.Fatalf("line split inside a character: %q", sc.Text())
		}
	}
}

func ptr[T any](v T) *T { return &v }
