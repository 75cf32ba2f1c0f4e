package roadshow

import (
	"context"
	"slices"
	"testing"
	"time"

	"huizhan/internal/apperr"
)

func clashKinds(t *testing.T, err error) []string {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Conflict {
		t.Fatalf("want a conflict, got %v", err)
	}
	var kinds []string
	for _, d := range ae.Details {
		if d.Key == "" || d.With == nil {
			t.Errorf("clash detail %+v lacks its message key or what it clashes with", d)
		}
		kinds = append(kinds, d.Kind)
	}
	return kinds
}

// busyPairing is a stand-in for the pairing package: 刘工 has a meeting
// from 14:30 to 14:50 on the first day, and project is at a pairing table
// from 15:00 to 15:20.
type busyPairing struct{ project int64 }

func (*busyPairing) PresenterBusy(_ context.Context, _ int64, presenter string, from, to time.Time) ([]Clash, error) {
	if presenter == "刘工" && from.Before(at(0, 14, 50)) && to.After(at(0, 14, 30)) {
		return []Clash{{Kind: ClashPresenter, Key: "roadshow.clash_presenter", With: ClashWith{Type: "meeting", ID: 77}}}, nil
	}
	return nil, nil
}

func (b *busyPairing) ProjectBusy(_ context.Context, _ int64, project int64, from, to time.Time) ([]Clash, error) {
	if project == b.project && from.Before(at(0, 15, 20)) && to.After(at(0, 15, 0)) {
		return []Clash{{Kind: ClashProject, Key: "meeting.project_in_meeting", With: ClashWith{Type: "meeting", ID: 78}}}, nil
	}
	return nil, nil
}

func TestHardClashesRefused(t *testing.T) {
	busy := &busyPairing{}
	f := newFixture(t, busy)
	a := f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 17, 0))
	b := f.session("路演二", KindRoadshow, "第二分会场", at(0, 14, 0), at(0, 17, 0))
	p1 := f.project(0, "芯片", "电子信息", "selected")
	p2 := f.project(1, "电池", "双碳与新能源", "selected")
	p3 := f.project(2, "种业", "农业种业", "selected")
	busy.project = p3
	f.mustSlot(a.ID, p1, "张三", at(0, 14, 0), at(0, 14, 10))

	cases := []struct {
		name      string
		session   int64
		project   int64
		presenter string
		from, to  time.Time
		want      []string
	}{
		{"room double-booked", a.ID, p2, "李四", at(0, 14, 5), at(0, 14, 15), []string{ClashRoom}},
		{"outside the session (early)", a.ID, p2, "李四", at(0, 13, 55), at(0, 14, 0), []string{ClashOutside}},
		{"outside the session (late)", b.ID, p2, "李四", at(0, 16, 55), at(0, 17, 5), []string{ClashOutside}},
		{"same project twice at once", b.ID, p1, "王五", at(0, 14, 5), at(0, 14, 15), []string{ClashProject}},
		{"same presenter in two rooms", b.ID, p2, "张三", at(0, 14, 0), at(0, 14, 10), []string{ClashPresenter}},
		{"presenter busy in a pairing meeting", b.ID, p3, "刘工", at(0, 14, 40), at(0, 14, 55), []string{ClashPresenter}},
		{"project at a pairing table", b.ID, p3, "赵六", at(0, 15, 10), at(0, 15, 25), []string{ClashProject}},
		{"every clash listed at once", a.ID, p1, "张三", at(0, 14, 5), at(0, 14, 15), []string{ClashRoom, ClashProject, ClashPresenter}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.slot(tc.session, tc.project, tc.presenter, tc.from, tc.to)
			got := clashKinds(t, err)
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("clashes %v, want %v", got, want)
			}
		})
	}
	// Touching ends are no clash: 14:10 starts as the first slot ends.
	f.mustSlot(a.ID, p2, "李四", at(0, 14, 10), at(0, 14, 20))
	slots, _ := f.store.Slots(f.ctx, a.ID)
	if len(slots) != 2 {
		t.Fatalf("refused slots were saved: %d slots", len(slots))
	}
}

func TestSessionRoomClash(t *testing.T) {
	f := newFixture(t)
	f.session("开幕式", KindCeremony, "主会场", at(0, 9, 0), at(0, 11, 30))
	_, err := f.store.CreateSession(f.ctx, f.edition, SessionInput{Title: "冲突", Kind: KindSpecial, Room: "主会场",
		StartsAt: at(0, 11, 0), EndsAt: at(0, 12, 0)})
	if got := clashKinds(t, err); !slices.Equal(got, []string{ClashRoom}) {
		t.Errorf("clashes %v", got)
	}
	s := f.session("午后", KindSpecial, "主会场", at(0, 11, 30), at(0, 12, 0))
	if s.Room != "主会场" || s.MeetingMinutes != 20 || s.Tables != 10 {
		t.Errorf("session %+v", s)
	}
	rooms, _ := f.store.Rooms(f.ctx, f.edition)
	if len(rooms) != 1 {
		t.Errorf("a room name used twice made %d rooms", len(rooms))
	}
}

func TestWarningsSaved(t *testing.T) {
	f := newFixture(t)
	a := f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 17, 0))
	b := f.session("路演二", KindRoadshow, "第二分会场", at(0, 14, 0), at(0, 17, 0))
	m1 := f.project(0, "绵阳一", "电子信息", "selected")
	m2 := f.project(0, "绵阳二", "电子信息", "selected")
	m3 := f.project(0, "绵阳三", "电子信息", "selected")
	c1 := f.project(1, "成都一", "电子信息", "selected")
	draft := f.project(2, "德阳草案", "电子信息", "reviewed")

	kinds := func(sl Slot) []string {
		var ks []string
		for _, w := range sl.Warnings {
			ks = append(ks, w.Kind)
		}
		return ks
	}
	// Two delegations have selected projects: a session of 3 slots gives
	// each a share of 2; Mianyang's third is over it.
	f.mustSlot(a.ID, m1, "甲", at(0, 14, 0), at(0, 14, 10))
	f.mustSlot(a.ID, m2, "乙", at(0, 14, 10), at(0, 14, 20))
	third := f.mustSlot(a.ID, m3, "丙", at(0, 14, 20), at(0, 14, 30))
	if got := kinds(third); !slices.Contains(got, WarnDelegationShare) {
		t.Errorf("third Mianyang slot: warnings %v, want %s", got, WarnDelegationShare)
	}
	// 甲 ends in room one at 14:10 and starts in room two at 14:20.
	gap := f.mustSlot(b.ID, c1, "甲", at(0, 14, 20), at(0, 14, 30))
	if got := kinds(gap); !slices.Equal(got, []string{WarnPresenterGap}) {
		t.Errorf("short changeover: warnings %v", got)
	}
	notSel := f.mustSlot(b.ID, draft, "丁", at(0, 15, 0), at(0, 15, 10))
	if got := kinds(notSel); !slices.Equal(got, []string{WarnNotSelected}) {
		t.Errorf("project not selected: warnings %v", got)
	}
	// Warnings are saved with the slot, not just answered.
	saved, err := f.store.Slot(f.ctx, gap.ID)
	if err != nil || len(saved.Warnings) != 1 || saved.Warnings[0].Key != "roadshow.warn_presenter_gap" {
		t.Errorf("saved warnings %+v, %v", saved.Warnings, err)
	}
	// 15 minutes or more between rooms is fine.
	ok := f.mustSlot(b.ID, f.project(1, "成都二", "电子信息", "selected"), "丙", at(0, 14, 45), at(0, 14, 55))
	if len(ok.Warnings) != 0 {
		t.Errorf("15 minutes apart: warnings %v", kinds(ok))
	}
}

func TestUpdateAndReorder(t *testing.T) {
	f := newFixture(t)
	a := f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 15, 0))
	b := f.session("路演二", KindRoadshow, "第二分会场", at(0, 14, 0), at(0, 15, 0))
	s1 := f.mustSlot(a.ID, f.project(0, "一", "电子信息", "selected"), "甲", at(0, 14, 0), at(0, 14, 10))
	s2 := f.mustSlot(a.ID, f.project(1, "二", "电子信息", "selected"), "乙", at(0, 14, 10), at(0, 14, 30))
	s3 := f.mustSlot(a.ID, f.project(2, "三", "电子信息", "selected"), "丙", at(0, 14, 35), at(0, 14, 45))

	got, err := f.store.Reorder(f.ctx, a.ID, []int64{s3.ID, s1.ID, s2.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id       int64
		from, to time.Time
	}{{s3.ID, at(0, 14, 0), at(0, 14, 10)}, {s1.ID, at(0, 14, 10), at(0, 14, 20)}, {s2.ID, at(0, 14, 25), at(0, 14, 45)}} // the 5-minute gap stays after the second
	for i, w := range want {
		if got[i].ID != w.id || !got[i].StartsAt.Equal(w.from) || !got[i].EndsAt.Equal(w.to) {
			t.Errorf("slot %d: got %d %s–%s, want %d %s–%s", i, got[i].ID, got[i].StartsAt, got[i].EndsAt, w.id, w.from, w.to)
		}
	}
	// 乙 now speaks 14:25–14:45 in room one; putting 乙 in room two then
	// clashes, and so does a reorder that would move 乙 onto it.
	_, err = f.slot(b.ID, f.project(1, "四", "电子信息", "selected"), "乙", at(0, 14, 25), at(0, 14, 30))
	clashKinds(t, err)
	f.mustSlot(b.ID, f.project(1, "五", "电子信息", "selected"), "乙", at(0, 14, 0), at(0, 14, 10))
	_, err = f.store.Reorder(f.ctx, a.ID, []int64{s2.ID, s3.ID, s1.ID})
	if got := clashKinds(t, err); !slices.Equal(got, []string{ClashPresenter}) {
		t.Errorf("reorder clashes %v", got)
	}
	after, _ := f.store.Slots(f.ctx, a.ID)
	if after[0].ID != s3.ID || !after[0].StartsAt.Equal(at(0, 14, 0)) {
		t.Errorf("a refused reorder changed the slots: %+v", after[0])
	}
	if _, err := f.store.Reorder(f.ctx, a.ID, []int64{s1.ID, s2.ID}); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("reorder naming too few slots: %v", err)
	}
	// Moving a slot outside its session is refused.
	_, err = f.store.UpdateSlot(f.ctx, s1.ID, SlotInput{Presenter: "甲", StartsAt: at(0, 14, 55), EndsAt: at(0, 15, 5)})
	if got := clashKinds(t, err); !slices.Equal(got, []string{ClashOutside}) {
		t.Errorf("update clashes %v", got)
	}
}
