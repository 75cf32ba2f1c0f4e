package conference

import (
	"context"
	"testing"

	"huizhan/internal/apperr"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/web"
)

// projectFixture is an edition with two delegations and an account of each
// role that matters.
type projectFixture struct {
	s          *Store
	edition    Edition
	mianyang   Delegation
	chengdu    Delegation
	organiser  *web.Identity
	delegation *web.Identity // Mianyang's account
	leader     *web.Identity
}

func newProjectFixture(t *testing.T) projectFixture { return newProjectFixtureTB(t) }

func newProjectFixtureTB(t testing.TB) projectFixture {
	t.Helper()
	s := NewStore(dbtest.Open(t, Migrations()))
	ctx := context.Background()
	e, err := s.CreateEdition(ctx, third())
	if err != nil {
		t.Fatal(err)
	}
	my, err := s.CreateDelegation(ctx, e.ID, DelegationInput{Name: Mianyang})
	if err != nil {
		t.Fatal(err)
	}
	cd, err := s.CreateDelegation(ctx, e.ID, DelegationInput{Name: "成都市科协"})
	if err != nil {
		t.Fatal(err)
	}
	return projectFixture{s: s, edition: e, mianyang: my, chengdu: cd,
		organiser:  &web.Identity{UserID: 1, Username: "organiser", Role: web.RoleOrganiser},
		delegation: &web.Identity{UserID: 2, Username: "mianyang", Role: web.RoleDelegation, DelegationID: my.ID},
		leader:     &web.Identity{UserID: 3, Username: "leader", Role: web.RoleLeader}}
}

func (f projectFixture) create(t *testing.T, a *web.Identity, del int64, title string) Project {
	t.Helper()
	p, err := f.s.CreateProject(context.Background(), a, f.edition.ID, ProjectInput{DelegationID: del,
		Kind: KindAchievement, Title: title, Industry: "先进材料", Keywords: []string{"薄膜", " 薄膜 ", ""}})
	if err != nil {
		t.Fatalf("create %s: %v", title, err)
	}
	return p
}

func wantErr(t *testing.T, err error, kind apperr.Kind, key string) {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != kind || (key != "" && ae.Key != key) {
		t.Fatalf("error %v, want kind %d key %q", err, kind, key)
	}
}

func TestCreateProjectValidates(t *testing.T) {
	f := newProjectFixture(t)
	p := f.create(t, f.delegation, 0, "  高分子功能薄膜材料研究 ")
	if p.Title != "高分子功能薄膜材料研究" || p.DelegationID != f.mianyang.ID || p.Status != StatusSubmitted ||
		len(p.Keywords) != 1 || p.Keywords[0] != "薄膜" {
		t.Errorf("created %+v", p)
	}
	_, err := f.s.CreateProject(context.Background(), f.organiser, f.edition.ID,
		ProjectInput{DelegationID: f.mianyang.ID, Kind: "gadget", Title: "", Industry: "炼金术", ContactPhone: "call me"})
	wantErr(t, err, apperr.Invalid, "error.invalid_fields")
	ae, _ := apperr.As(err)
	var fields []string
	for _, d := range ae.Details {
		fields = append(fields, d.Field)
	}
	if len(fields) != 4 || fields[0] != "kind" || fields[1] != "title" || fields[2] != "industry" || fields[3] != "contact_phone" {
		t.Errorf("problems for fields %v", fields)
	}
}

func TestDelegationCannotTouchAnothersProject(t *testing.T) {
	f := newProjectFixture(t)
	ctx := context.Background()
	theirs := f.create(t, f.organiser, f.chengdu.ID, "成都的项目")
	_, err := f.s.Project(ctx, f.delegation, theirs.ID)
	wantErr(t, err, apperr.Forbidden, "project.not_yours")
	_, err = f.s.UpdateProject(ctx, f.delegation, theirs.ID, inputOf(theirs))
	wantErr(t, err, apperr.Forbidden, "project.not_yours")
	_, err = f.s.SetProjectStatus(ctx, f.delegation, theirs.ID, StatusReviewed, "")
	wantErr(t, err, apperr.Forbidden, "project.not_yours")
	_, err = f.s.CreateProject(ctx, f.delegation, f.edition.ID, ProjectInput{DelegationID: f.chengdu.ID,
		Kind: KindDemand, Title: "冒名登记", Industry: "电子信息"})
	wantErr(t, err, apperr.Forbidden, "project.not_yours")
	// Its own list holds its own projects only, whatever the filter says.
	f.create(t, f.delegation, 0, "绵阳的项目")
	ps, total, err := f.s.Projects(ctx, f.delegation, f.edition.ID, ProjectFilter{DelegationID: f.chengdu.ID}, web.Paging{Page: 1, PerPage: 50})
	if err != nil || total != 1 || ps[0].DelegationID != f.mianyang.ID {
		t.Errorf("delegation list %+v total %d err %v", ps, total, err)
	}
	// Other roles read all and change nothing.
	if _, err := f.s.Project(ctx, f.leader, theirs.ID); err != nil {
		t.Errorf("leader cannot read: %v", err)
	}
	_, err = f.s.UpdateProject(ctx, f.leader, theirs.ID, inputOf(theirs))
	wantErr(t, err, apperr.Forbidden, "")
}

func TestStatusTransitionsHistoryAndQuota(t *testing.T) {
	f := newProjectFixture(t)
	ctx := context.Background()
	a := f.create(t, f.delegation, 0, "航空发动机及燃气轮机全流程参数测试技术")
	b := f.create(t, f.delegation, 0, "强稳健性锂电池循环寿命预估系统")
	c := f.create(t, f.organiser, f.chengdu.ID, "成都项目")
	quota := 1
	if _, err := f.s.SetSelectedQuota(ctx, f.edition.ID, &quota); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		who    *web.Identity
		p      Project
		to     string
		kind   apperr.Kind // Internal: no error
		errKey string
	}{
		{f.organiser, a, StatusSelected, apperr.Conflict, "project.transition"}, // not pre-reviewed yet
		{f.delegation, a, StatusReviewed, apperr.Internal, ""},                  // the city's pre-review
		{f.delegation, a, StatusSelected, apperr.Forbidden, "project.review_organiser"},
		{f.organiser, a, StatusSelected, apperr.Internal, ""},
		{f.organiser, a, StatusSelected, apperr.Conflict, "project.transition"}, // already selected
		{f.delegation, b, StatusReviewed, apperr.Internal, ""},
		{f.organiser, b, StatusSelected, apperr.Conflict, "project.quota_reached"}, // Mianyang's one is used
		{f.organiser, c, StatusReviewed, apperr.Internal, ""},
		{f.organiser, c, StatusSelected, apperr.Internal, ""}, // Chengdu has its own quota
		{f.organiser, b, StatusRejected, apperr.Internal, ""},
		{f.organiser, a, "gone", apperr.Invalid, "error.invalid_fields"},
	}
	for i, st := range steps {
		_, err := f.s.SetProjectStatus(ctx, st.who, st.p.ID, st.to, "第"+string(rune('0'+i))+"步")
		if st.kind == apperr.Internal {
			if err != nil {
				t.Fatalf("step %d (%s → %s by %s): %v", i, st.p.Title, st.to, st.who.Role, err)
			}
			continue
		}
		wantErr(t, err, st.kind, st.errKey)
		if st.errKey == "project.quota_reached" {
			if ae, _ := apperr.As(err); ae.Args["Quota"] != 1 || ae.Args["Delegation"] != Mianyang {
				t.Errorf("quota message args %v", ae.Args)
			}
		}
	}
	// A delegation cannot edit once the project left submitted.
	_, err := f.s.UpdateProject(ctx, f.delegation, a.ID, inputOf(a))
	wantErr(t, err, apperr.Conflict, "project.locked")
	h, err := f.s.ProjectHistory(ctx, f.organiser, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].FromStatus != StatusSubmitted || h[0].ToStatus != StatusReviewed || h[0].Username != "mianyang" ||
		h[1].ToStatus != StatusSelected || h[1].Username != "organiser" || h[1].Note != "第3步" {
		t.Errorf("history %+v", h)
	}
	// Lifting the quota lets the second one through.
	if _, err := f.s.SetSelectedQuota(ctx, f.edition.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SetProjectStatus(ctx, f.organiser, b.ID, StatusReviewed, ""); err != nil {
		t.Fatal(err)
	}
	if p, err := f.s.SetProjectStatus(ctx, f.organiser, b.ID, StatusSelected, "名额放开"); err != nil || p.StatusNote != "名额放开" {
		t.Fatalf("select without quota: %+v %v", p, err)
	}
}

func TestSearchShortAndLongQueries(t *testing.T) {
	f := newProjectFixture(t)
	ctx := context.Background()
	for _, in := range []ProjectInput{
		{Kind: KindAchievement, Title: "强稳健性锂电池循环寿命预估系统", Industry: "双碳与新能源", Organisation: "西南科技大学", Summary: "Lithium battery cycle life prediction"},
		{Kind: KindDemand, Title: "高分子功能薄膜材料研究", Industry: "先进材料", Organisation: "龙华光电薄膜公司"},
		{Kind: KindAchievement, Title: "航空发动机及燃气轮机全流程参数测试技术", Industry: "装备制造", Keywords: []string{"北京"}},
		{Kind: KindDemand, Title: "50%_折扣", Industry: "电子信息"},
	} {
		in.DelegationID = f.mianyang.ID
		if _, err := f.s.CreateProject(ctx, f.organiser, f.edition.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"锂电", []string{"强稳健性锂电池循环寿命预估系统"}},          // 2 characters: LIKE
		{"北京", []string{"航空发动机及燃气轮机全流程参数测试技术"}},      // a keyword
		{"锂电池循环", []string{"强稳健性锂电池循环寿命预估系统"}},       // trigram
		{"薄膜材料", []string{"高分子功能薄膜材料研究"}},            // 4 characters
		{"BATTERY", []string{"强稳健性锂电池循环寿命预估系统"}},     // English, any case
		{"燃气轮机 测试", []string{"航空发动机及燃气轮机全流程参数测试技术"}}, // two terms, both must match
		{"西南科技大学 薄膜", nil},                           // no project has both
		{"%", []string{"50%_折扣"}},                    // LIKE wildcards are literal
		{"\"引号", nil},                                // FTS syntax is literal too
	}
	for _, c := range cases {
		ps, total, err := f.s.Projects(ctx, f.leader, f.edition.ID, ProjectFilter{Q: c.q}, web.Paging{Page: 1, PerPage: 50})
		if err != nil {
			t.Fatalf("search %q: %v", c.q, err)
		}
		var got []string
		for _, p := range ps {
			got = append(got, p.Title)
		}
		if total != len(c.want) || len(got) != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) {
			t.Errorf("search %q found %v, want %v", c.q, got, c.want)
		}
	}
	// Editing a title re-indexes it.
	ps, _, _ := f.s.Projects(ctx, f.leader, f.edition.ID, ProjectFilter{Q: "薄膜材料"}, web.Paging{Page: 1, PerPage: 5})
	in := inputOf(ps[0])
	in.Title = "柔性显示基板研究"
	if _, err := f.s.UpdateProject(ctx, f.organiser, ps[0].ID, in); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"薄膜材料": 0, "柔性显示": 1} {
		if _, n, _ := f.s.Projects(ctx, f.leader, f.edition.ID, ProjectFilter{Q: q}, web.Paging{Page: 1, PerPage: 5}); n != want {
			t.Errorf("after the edit %q finds %d, want %d", q, n, want)
		}
	}
}
