package roadshow

import (
	"context"
	"testing"

	"huizhan/internal/apperr"
	"huizhan/internal/auth"
)

func (f *fixture) user(name, role string) int64 {
	f.t.Helper()
	nu := auth.NewUser{Username: name, Password: "judge-password-1", Role: role}
	if role == "delegation" {
		nu.DelegationID = &f.dels[0]
	}
	u, err := auth.NewStore(f.db, auth.Options{BcryptCost: 4}).CreateUser(context.Background(), nu)
	if err != nil {
		f.t.Fatal(err)
	}
	return u.ID
}

func TestScoringAndRanking(t *testing.T) {
	f := newFixture(t)
	a := f.session("路演一", KindRoadshow, "第一分会场", at(0, 14, 0), at(0, 16, 0))
	other := f.session("路演二", KindRoadshow, "第二分会场", at(0, 14, 0), at(0, 16, 0))
	s1 := f.mustSlot(a.ID, f.project(0, "芯片", "电子信息", "selected"), "甲", at(0, 14, 0), at(0, 14, 10))
	s2 := f.mustSlot(a.ID, f.project(1, "电池", "电子信息", "selected"), "乙", at(0, 14, 10), at(0, 14, 20))
	s3 := f.mustSlot(a.ID, f.project(2, "种子", "电子信息", "selected"), "丙", at(0, 14, 20), at(0, 14, 30))
	elsewhere := f.mustSlot(other.ID, f.project(2, "别场", "电子信息", "selected"), "丁", at(0, 14, 0), at(0, 14, 10))

	acct, err := f.store.InviteJudge(f.ctx, a.ID, JudgeInput{Name: "王教授", UserID: f.user("wang", "leader")})
	if err != nil || acct.Token != "" {
		t.Fatalf("account judge %+v, %v", acct, err)
	}
	link, err := f.store.InviteJudge(f.ctx, a.ID, JudgeInput{Name: "李研究员"})
	if err != nil || len(link.Token) < 32 {
		t.Fatalf("link judge %+v, %v", link, err)
	}
	if _, err := f.store.InviteJudge(f.ctx, a.ID, JudgeInput{Name: "代表团", UserID: f.user("city", "delegation")}); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("a delegation account invited as judge: %v", err)
	}
	byLink, err := f.store.JudgeByToken(f.ctx, link.Token)
	if err != nil || byLink.ID != link.ID {
		t.Fatalf("judge by token: %+v, %v", byLink, err)
	}
	if _, err := f.store.JudgeByToken(f.ctx, "not-a-token"); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("unknown token: %v", err)
	}

	score := func(j Judge, slot int64, v int) {
		t.Helper()
		if err := f.store.Score(f.ctx, j, slot, map[string]int{"innovation": v, "maturity": v, "market": v, "team": v}); err != nil {
			t.Fatal(err)
		}
	}
	score(acct, s1.ID, 6)
	score(byLink, s1.ID, 8)
	score(acct, s2.ID, 9)
	score(byLink, s2.ID, 9)

	bad := []map[string]int{
		{"innovation": 11, "maturity": 5, "market": 5, "team": 5},
		{"innovation": 5, "maturity": 5, "market": 5},
		{"innovation": 5, "maturity": 5, "market": 5, "team": 5, "luck": 5},
	}
	for _, b := range bad {
		if err := f.store.Score(f.ctx, acct, s3.ID, b); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("scores %v: %v", b, err)
		}
	}
	if err := f.store.Score(f.ctx, acct, elsewhere.ID, map[string]int{"innovation": 5}); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("scoring another session's pitch: %v", err)
	}

	// A judge reads only their own scores.
	mine, err := f.store.OwnScores(f.ctx, acct.ID)
	if err != nil || len(mine) != 2 || mine[s1.ID]["team"] != 6 {
		t.Errorf("own scores %v, %v", mine, err)
	}
	rank, err := f.store.Ranking(f.ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rank[0].SlotID != s2.ID || rank[0].Mean != 9 || rank[0].Spread != 0 || rank[0].Rank != 1 {
		t.Errorf("first %+v", rank[0])
	}
	if rank[1].SlotID != s1.ID || rank[1].Mean != 7 || rank[1].Spread != 1 || rank[1].Judges != 2 {
		t.Errorf("second %+v", rank[1])
	}
	if rank[2].SlotID != s3.ID || rank[2].Rank != 0 || rank[2].Judges != 0 {
		t.Errorf("unscored %+v", rank[2])
	}
}
