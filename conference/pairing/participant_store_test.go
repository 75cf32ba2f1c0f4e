package pairing

import (
	"context"
	"fmt"
	"testing"
	"time"

	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// people is a fixture with a demand and a supply whose contacts use links.
type people struct {
	*fixture
	demand, supply int64
}

func newPeople(t *testing.T) people {
	f := newFixture(t)
	return people{fixture: f, demand: f.project(0, "demand", "锂电池正极材料需求", "张三"),
		supply: f.project(1, "achievement", "锂电池正极材料制备技术", "李四")}
}

func (p people) request(from, to int64) Request {
	p.t.Helper()
	r, err := p.store.RequestMeeting(context.Background(), from, NewRequest{ProjectID: to, Message: "想聊聊合作"})
	if err != nil {
		p.t.Fatal(err)
	}
	return r
}

func (p people) answer(r Request, accept bool, reason string) Request {
	p.t.Helper()
	r, err := p.store.AnswerRequest(context.Background(), r.ID, accept, reason, Answerer{ProjectID: r.ToProjectID})
	if err != nil {
		p.t.Fatal(err)
	}
	return r
}

// assertNoClash checks that no two meetings of the edition share a table
// and slot, a project or a contact at the same time.
func assertNoClash(t *testing.T, f *fixture) {
	t.Helper()
	cs, err := f.store.commitments(context.Background(), f.db.R, f.edition)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range cs {
		for _, b := range cs[i+1:] {
			if !a.overlaps(b.start, b.end) {
				continue
			}
			if a.sessionID == b.sessionID && a.table == b.table && !a.roadshow && !b.roadshow {
				t.Errorf("table %d twice at %v", a.table, a.start)
			}
			if sharesProject(a.projects, b.projects) || sharesPresenter(a.presenters, b.presenters) {
				t.Errorf("clash at %v: %v/%v and %v/%v", a.start, a.projects, a.presenters, b.projects, b.presenters)
			}
		}
	}
}

func TestAcceptedRequestBecomesPairingWithClashFreeMeeting(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	// The demand's contact already sits at table 1 in the first slot, and
	// the supply's contact presents elsewhere at table 2 then too.
	busy := p.pairing(p.demand, p.project(1, "capability", "另一所能", "王五"))
	if _, err := p.store.Book(ctx, busy.ID, MeetingInput{SessionID: p.session.ID, Table: 1, StartsAt: p.slot(0)}); err != nil {
		t.Fatal(err)
	}
	other := p.pairing(p.project(0, "demand", "另一需求", "李四"), p.project(1, "capability", "第三所能", ""))
	if _, err := p.store.Book(ctx, other.ID, MeetingInput{SessionID: p.session.ID, Table: 2, StartsAt: p.slot(1)}); err != nil {
		t.Fatal(err)
	}

	r := p.answer(p.request(p.supply, p.demand), true, "")
	if r.State != RequestAccepted || r.PairingID == nil || r.Meeting == nil || r.Queued {
		t.Fatalf("accepted %+v", r)
	}
	pr, err := p.store.Pairing(ctx, *r.PairingID)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Stage != StageContacted || pr.Request != RequestAccepted || pr.DemandID != p.demand || pr.SupplyID != p.supply ||
		pr.RequestedBy == nil || *pr.RequestedBy != p.dels[1] || pr.Message != "想聊聊合作" {
		t.Errorf("pairing %+v", pr)
	}
	// Slot 0: the demand is busy; slot 1: the supply's contact is.
	if !r.Meeting.StartsAt.Equal(p.slot(2)) || r.Meeting.Table != 1 {
		t.Errorf("meeting at %v table %d, want %v table 1", r.Meeting.StartsAt, r.Meeting.Table, p.slot(2))
	}
	assertNoClash(t, p.fixture)
	for _, side := range []int64{p.demand, p.supply} {
		sch, err := p.store.Schedule(ctx, side)
		if err != nil {
			t.Fatal(err)
		}
		if !hasMeeting(sch, *r.PairingID) {
			t.Errorf("schedule of %d lacks the meeting: %+v", side, sch)
		}
	}
	hist, _ := p.store.History(ctx, pr.ID)
	if len(hist) != 2 || hist[1].ToStage != StageContacted {
		t.Errorf("history %+v", hist)
	}
	if c, _ := p.store.Counters(ctx, p.edition); c.Pairings != 3 {
		t.Errorf("counters %+v", c)
	}
}

func hasMeeting(sch []ScheduleEntry, pairingID int64) bool {
	for _, e := range sch {
		if e.PairingID == pairingID {
			return true
		}
	}
	return false
}

func TestDeclinedRequestMakesNoPairing(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	r := p.answer(p.request(p.demand, p.supply), false, "方向不符")
	if r.State != RequestDeclined || r.Reason != "方向不符" || r.PairingID != nil {
		t.Fatalf("declined %+v", r)
	}
	if c, _ := p.store.Counters(ctx, p.edition); c.Pairings != 0 {
		t.Errorf("a declined request counts as a pairing: %+v", c)
	}
	if _, total, _ := p.store.Pairings(ctx, p.edition, Filter{}, web.Paging{Page: 1, PerPage: 10}); total != 0 {
		t.Errorf("%d pairings after a decline", total)
	}
	if sch, _ := p.store.Schedule(ctx, p.demand); len(sch) != 0 {
		t.Errorf("schedule %+v", sch)
	}
	// Answered once: a second answer is refused; a new request may follow.
	if _, err := p.store.AnswerRequest(ctx, r.ID, true, "", Answerer{ProjectID: p.supply}); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("second answer: %v", err)
	}
	p.request(p.demand, p.supply)
}

func TestRequestRules(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	otherDemand := p.project(1, "demand", "别的需求", "赵六")
	r := p.request(p.demand, p.supply)
	cases := []struct {
		name string
		from int64
		in   NewRequest
		want apperr.Kind
	}{
		{"open for the pair", p.demand, NewRequest{ProjectID: p.supply}, apperr.Conflict},
		{"open for the pair, asked the other way", p.supply, NewRequest{ProjectID: p.demand}, apperr.Conflict},
		{"same side", p.demand, NewRequest{ProjectID: otherDemand}, apperr.Invalid},
		{"itself", p.demand, NewRequest{ProjectID: p.demand}, apperr.Invalid},
		{"unknown project", p.demand, NewRequest{ProjectID: 999999}, apperr.Invalid},
		{"message too long", p.supply, NewRequest{ProjectID: otherDemand, Message: string(make([]rune, 301))}, apperr.Invalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := p.store.RequestMeeting(ctx, c.from, c.in); apperr.KindOf(err) != c.want {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
	// Only the side asked answers; the asking side and strangers may not.
	if _, err := p.store.AnswerRequest(ctx, r.ID, true, "", Answerer{ProjectID: p.demand}); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("asker answered: %v", err)
	}
	if _, err := p.store.AnswerRequest(ctx, r.ID, true, "", Answerer{ProjectID: otherDemand}); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("stranger answered: %v", err)
	}
	leader := &web.Identity{UserID: 9, Username: "leader", Role: web.RoleLeader}
	if _, err := p.store.AnswerRequest(ctx, r.ID, true, "", Answerer{Identity: leader}); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("leader answered: %v", err)
	}
	// A coordinator acts for the side asked.
	coord := &web.Identity{UserID: 3, Username: "coordinator", Role: web.RoleCoordinator}
	got, err := p.store.AnswerRequest(ctx, r.ID, true, "", Answerer{Identity: coord})
	if err != nil || got.State != RequestAccepted || got.AnsweredBy != "coordinator" {
		t.Fatalf("coordinator answer %+v %v", got, err)
	}
	// Paired now: no new request for the pair.
	if _, err := p.store.RequestMeeting(ctx, p.supply, NewRequest{ProjectID: p.demand}); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("request after pairing: %v", err)
	}
}

func TestAvailabilityRespected(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	// A second pairing session the next morning, 09:00 Beijing.
	nextMorning := time.Date(2024, 1, 19, 1, 0, 0, 0, time.UTC)
	room := p.insert(`INSERT INTO rooms (edition_id, name, created_at) VALUES (?, '对接二厅', ?) RETURNING id`, p.edition, time.Now().UTC())
	p.insert(`INSERT INTO agenda_sessions (edition_id, room_id, kind, title, starts_at, ends_at, meeting_minutes, tables,
		created_at, updated_at) VALUES (?, ?, 'pairing', '第二场', ?, ?, 30, 1, ?, ?) RETURNING id`,
		p.edition, room, nextMorning, nextMorning.Add(time.Hour), time.Now().UTC(), time.Now().UTC())
	day1pm := time.Date(2024, 1, 18, 14, 0, 0, 0, china)
	day2am := time.Date(2024, 1, 19, 9, 0, 0, 0, china)

	if _, err := p.store.SetAvailability(ctx, p.demand, []time.Time{time.Date(2024, 1, 20, 9, 0, 0, 0, china)}); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("a half-day without pairing slots: %v", err)
	}
	// Any time inside a half-day names it.
	got, err := p.store.SetAvailability(ctx, p.demand, []time.Time{day2am.Add(30 * time.Minute)})
	if err != nil || len(got) != 1 || !got[0].Equal(day2am) {
		t.Fatalf("availability %v %v", got, err)
	}
	if _, err := p.store.SetAvailability(ctx, p.supply, []time.Time{day1pm}); err != nil {
		t.Fatal(err)
	}
	// No half-day in common: accepted, queued for a coordinator.
	r := p.answer(p.request(p.demand, p.supply), true, "")
	if r.Meeting != nil || !r.Queued {
		t.Fatalf("placed outside availability: %+v", r.Meeting)
	}
	if _, err := p.store.PlaceQueued(ctx, r.ID); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("placed with no slot: %v", err)
	}
	queued, n, _ := p.store.Requests(ctx, p.edition, RequestFilter{Queued: true}, web.Paging{Page: 1, PerPage: 10})
	if n != 1 || queued[0].ID != r.ID {
		t.Errorf("queue %d %+v", n, queued)
	}
	// The supply comes the next morning too: the waiting request is placed there.
	if _, err := p.store.SetAvailability(ctx, p.supply, []time.Time{day1pm, day2am}); err != nil {
		t.Fatal(err)
	}
	r, err = p.store.Request(ctx, r.ID)
	if err != nil || r.Meeting == nil || !r.Meeting.StartsAt.Equal(nextMorning) {
		t.Fatalf("after availability: %+v %v", r.Meeting, err)
	}
	if _, n, _ := p.store.Requests(ctx, p.edition, RequestFilter{Queued: true}, web.Paging{Page: 1, PerPage: 10}); n != 0 {
		t.Errorf("%d still queued", n)
	}
}

func TestOutcomeNeverMovesBackward(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	r := p.answer(p.request(p.demand, p.supply), true, "")
	id := *r.PairingID

	if _, err := p.store.ReportOutcome(ctx, id, p.demand, "signed"); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("unknown outcome: %v", err)
	}
	stranger := p.project(0, "demand", "旁人", "")
	if _, err := p.store.ReportOutcome(ctx, id, stranger, OutcomeMet); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("stranger reported: %v", err)
	}
	p.store.now = func() time.Time { return r.Meeting.StartsAt.Add(-time.Minute) }
	if _, err := p.store.ReportOutcome(ctx, id, p.demand, OutcomeMet); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("reported before the meeting: %v", err)
	}
	p.store.now = time.Now

	steps := []struct {
		side    int64
		outcome string
		want    string
	}{
		{p.demand, OutcomeInterested, StageMet},
		{p.supply, OutcomeInterested, StageNegotiating}, // both interested
		{p.supply, OutcomeNotInterested, StageNegotiating},
		{p.demand, OutcomeMet, StageNegotiating},
	}
	for _, s := range steps {
		got, err := p.store.ReportOutcome(ctx, id, s.side, s.outcome)
		if err != nil || got.Stage != s.want {
			t.Fatalf("%d %s: stage %q %v, want %q", s.side, s.outcome, got.Stage, err, s.want)
		}
	}
	// A coordinator moved it on to intent: a report does not bring it back.
	if _, err := p.store.SetStage(ctx, id, StageInput{Stage: StageIntent}, p.organiser); err != nil {
		t.Fatal(err)
	}
	if got, err := p.store.ReportOutcome(ctx, id, p.supply, OutcomeInterested); err != nil || got.Stage != StageIntent {
		t.Errorf("after intent: %q %v", got.Stage, err)
	}
	if got, _ := p.store.Request(ctx, r.ID); len(got.Outcomes) != 2 {
		t.Errorf("outcomes %+v", got.Outcomes)
	}
}

func TestRevokedLinkIsNotFound(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	first, err := p.store.CreateLink(ctx, p.demand, p.organiser, nil)
	if err != nil {
		t.Fatal(err)
	}
	l, err := p.store.LinkByToken(ctx, first)
	if err != nil || l.ProjectID != p.demand || l.EditionID != p.edition {
		t.Fatalf("link %+v %v", l, err)
	}
	var stored string
	if err := p.db.R.Get(&stored, `SELECT token_hash FROM participant_links`); err != nil || stored == first || stored != hashToken(first) {
		t.Errorf("stored %q", stored)
	}
	second, _ := p.store.CreateLink(ctx, p.demand, p.organiser, nil)
	if _, err := p.store.LinkByToken(ctx, first); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("replaced link: %v", err)
	}
	if err := p.store.RevokeLink(ctx, p.demand); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{second, "", "short", first[:42] + "!"} {
		if _, err := p.store.LinkByToken(ctx, tok); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("token %q: %v", tok, err)
		}
	}
	if err := p.store.RevokeLink(ctx, p.demand); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("second revoke: %v", err)
	}
}

func TestWithdrawAndOpenLimit(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	r := p.request(p.demand, p.supply)
	if _, err := p.store.Withdraw(ctx, r.ID, p.supply); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("the side asked withdrew: %v", err)
	}
	got, err := p.store.Withdraw(ctx, r.ID, p.demand)
	if err != nil || got.State != RequestWithdrawn {
		t.Fatalf("withdraw %+v %v", got, err)
	}
	if _, err := p.store.AnswerRequest(ctx, r.ID, true, "", Answerer{ProjectID: p.supply}); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("accepted a withdrawn request: %v", err)
	}
	p.request(p.demand, p.supply) // asking again is fine
	for i := 1; i < maxOpenRequests; i++ {
		p.request(p.demand, p.project(1, "achievement", fmt.Sprintf("成果 %d", i), ""))
	}
	extra := p.project(1, "achievement", "再多一个", "")
	if _, err := p.store.RequestMeeting(ctx, p.demand, NewRequest{ProjectID: extra}); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("request over the limit: %v", err)
	}
}

func TestCounterpartSearch(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	otherSupply := p.project(0, "capability", "正极材料检测服务", "")
	otherDemand := p.project(1, "demand", "白酒酿造工艺改进需求", "")
	cases := []struct {
		from int64
		q    string
		want []int64
	}{
		{p.supply, "正极", []int64{p.demand}}, // two characters
		{p.supply, "锂电池 需求", []int64{p.demand}},
		{p.supply, "酿造", []int64{otherDemand}},
		{p.supply, "正极 白酒", nil}, // every term must match
		{p.demand, "正极", []int64{p.supply, otherSupply}},
		{p.demand, "白酒", nil}, // a demand, not a counterpart of a demand
		{p.demand, "   ", nil},
	}
	for _, c := range cases {
		got, err := p.store.Counterparts(ctx, c.from, c.q)
		if err != nil {
			t.Fatalf("%q: %v", c.q, err)
		}
		var ids []int64
		for _, g := range got {
			ids = append(ids, g.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(c.want) {
			t.Errorf("from %d %q: %v, want %v", c.from, c.q, ids, c.want)
		}
	}
}
