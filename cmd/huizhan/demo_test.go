package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"huizhan/conference"
	"huizhan/conference/pairing"
	"huizhan/conference/roadshow"
	"huizhan/internal/auth"
	"huizhan/internal/db/dbtest"
	"huizhan/internal/web"
	"huizhan/reports"
)

// demoWorld is the whole demo loaded as `huizhan demo` loads it.
type demoWorld struct {
	t       *testing.T
	ctx     context.Context
	a       *app
	r       *reports.Reports
	eds     []conference.Edition // 1st, 2nd, 3rd
	summary map[string]*reports.Summary
}

func loadDemoWorld(t *testing.T) *demoWorld {
	t.Helper()
	d := openTestDB(t, dbtest.DSN(t))
	a, err := newApp(d, slog.New(slog.NewTextHandler(io.Discard, nil)), appConfig{Auth: auth.Options{BcryptCost: bcrypt.MinCost}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.checkin.Close)
	ctx := context.Background()
	if err := loadDemo(ctx, a, io.Discard); err != nil {
		t.Fatal(err)
	}
	w := &demoWorld{t: t, ctx: ctx, a: a, r: reports.New(d, a.site.Catalog), summary: map[string]*reports.Summary{}}
	var ids []int64
	if err := d.R.SelectContext(ctx, &ids, `SELECT id FROM editions ORDER BY number`); err != nil || len(ids) != 3 {
		t.Fatalf("editions %v, %v", ids, err)
	}
	for _, id := range ids {
		e, err := a.conference.Edition(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		w.eds = append(w.eds, e)
	}
	return w
}

// sum is the summary of the 3rd edition (with the two before it), for
// the delegation named (or all, for "").
func (w *demoWorld) sum(delegation string) *reports.Summary {
	w.t.Helper()
	if s, ok := w.summary[delegation]; ok {
		return s
	}
	s, err := w.r.Summary(w.ctx, w.eds[2].ID, delegation)
	if err != nil {
		w.t.Fatal(err)
	}
	w.summary[delegation] = s
	return s
}

// row is one line of a comparison, by name.
func row(t *testing.T, c reports.Comparison, name string) reports.ComparisonRow {
	t.Helper()
	for _, r := range c.Rows {
		if r.Name == name {
			return r
		}
	}
	return reports.ComparisonRow{Name: name, Values: []float64{0, 0, 0}}
}

// kinds adds up a summary's projects of the kinds given in edition i.
func kinds(t *testing.T, s *reports.Summary, i int, ks ...string) float64 {
	var n float64
	for _, k := range ks {
		n += row(t, s.ByKind, k).Values[i]
	}
	return n
}

// session finds a session of an edition by title (or title prefix) and
// its slots.
func (w *demoWorld) session(ed int, prefix string) (roadshow.Session, []roadshow.Slot) {
	w.t.Helper()
	ss, err := w.a.roadshow.Sessions(w.ctx, w.eds[ed].ID)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, s := range ss {
		if strings.HasPrefix(s.Title, prefix) {
			sl, err := w.a.roadshow.Slots(w.ctx, s.ID)
			if err != nil {
				w.t.Fatal(err)
			}
			return s, sl
		}
	}
	w.t.Fatalf("edition %d has no session %s", ed+1, prefix)
	return roadshow.Session{}, nil
}

// seedFigures are the figures the seed news page states
// (../shared/seed/tianfu-3rd-conference-news.txt), each with its
// sentence, and a check that the demo shows it.
var seedFigures = []struct {
	sentence string
	check    func(t *testing.T, w *demoWorld)
}{
	{"1月18日至19日,第三届天府科技云服务大会在成都举行", func(t *testing.T, w *demoWorld) {
		e := w.eds[2]
		if e.StartsOn.String() != "2024-01-18" || e.EndsOn.String() != "2024-01-19" || e.City != "成都" {
			t.Errorf("3rd edition %+v", e)
		}
	}},
	{"此次遴选的20个项目在开幕式和省级专场发布,较去年增加9项,增长率高达81.82%", func(t *testing.T, w *demoWorld) {
		sel := row(t, w.sum(conference.Mianyang).Overview, "reports.metric.selected")
		if sel.Current() != 20 || sel.Previous() != 11 || sel.Growth() != "+81.82%" {
			t.Errorf("Mianyang's selected projects %v, growth %s; want 11 → 20, +81.82%%", sel.Values, sel.Growth())
		}
		if major := row(t, w.sum(conference.Mianyang).Overview, "reports.metric.major"); major.Current() != 20 {
			t.Errorf("Mianyang's releases in the 3rd edition %v, want 20", major.Values)
		}
	}},
	{"绵阳遴选出的“航空发动机及燃气轮机全流程参数测试技术”等20个“硬核”项目 (开幕式)", func(t *testing.T, w *demoWorld) {
		_, slots := w.session(2, "开幕式")
		if len(slots) != 20 || slots[0].Project != "航空发动机及燃气轮机全流程参数测试技术" {
			t.Fatalf("opening ceremony has %d releases, the first %+v", len(slots), slots)
		}
		for i, s := range slots {
			if s.Delegation != conference.Mianyang || s.Position != i+1 || (i > 0 && !s.StartsAt.After(slots[i-1].StartsAt)) {
				t.Errorf("release %d: %+v", i+1, s)
			}
		}
	}},
	{"共征集遴选1402个科创项目,组织36个项目在开幕式及省级专场推介会上发布", func(t *testing.T, w *demoWorld) {
		s := w.sum(conference.Mianyang)
		var all float64
		for i := range s.Editions {
			all += kinds(t, s, i, "demand", "achievement", "capability", "hightech", "research")
		}
		if all != 1402 {
			t.Errorf("Mianyang collected %v projects over three editions, want 1402", all)
		}
		if major := row(t, s.Overview, "reports.metric.major"); major.Cumulative() != 36 {
			t.Errorf("ceremony releases %v (cumulative %v), want 36", major.Values, major.Cumulative())
		}
	}},
	{"绵阳还携481项科技成果(高新技术)、128项科技需求参展", func(t *testing.T, w *demoWorld) {
		s := w.sum(conference.Mianyang)
		if a, d := kinds(t, s, 2, "achievement", "hightech"), kinds(t, s, 2, "demand"); a != 481 || d != 128 {
			t.Errorf("3rd edition: %v achievements, %v demands; want 481 and 128", a, d)
		}
	}},
	{"绵阳展区作为重点展区进行了2天的集中展示", func(t *testing.T, w *demoWorld) {
		zs, err := w.a.booths.Zones(w.ctx, w.eds[2].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, z := range zs {
			if z.Key && z.Delegation == conference.Mianyang && z.OpensOn.DaysUntil(z.ClosesOn) == 1 {
				return
			}
		}
		t.Errorf("no two-day key zone of Mianyang in %+v", zs)
	}},
	{"首届……挖掘科技成果、高新技术、科技难题等科创项目270余个、科创金融产品19个,实现有效对接100余次", func(t *testing.T, w *demoWorld) {
		s := w.sum(conference.Mianyang)
		if n := kinds(t, s, 0, "demand", "achievement", "hightech"); n < 270 || n >= 290 {
			t.Errorf("1st edition: %v projects, want 270余", n)
		}
		if n := kinds(t, s, 0, "finance"); n != 19 {
			t.Errorf("1st edition: %v finance products, want 19", n)
		}
		if eff := row(t, w.sum("").Overview, "reports.metric.effective"); eff.Values[0] < 100 || eff.Values[0] >= 200 {
			t.Errorf("1st edition: %v effective pairings, want 100余", eff.Values[0])
		}
	}},
	{"第二届……遴选513个优质科创项目入驻云展厅", func(t *testing.T, w *demoWorld) {
		zs, err := w.a.booths.Zones(w.ctx, w.eds[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, z := range zs {
			if z.Online {
				// What a visitor of the hall sees in the zone.
				ids, err := w.a.booths.ProjectIDsInZone(w.ctx, w.eds[1].ID, z.ID)
				if err != nil {
					t.Fatal(err)
				}
				_, n, err := w.a.conference.Projects(w.ctx, nil, w.eds[1].ID, conference.ProjectFilter{InIDs: ids, Public: true},
					web.Paging{Page: 1, PerPage: 1})
				if err != nil || n != 513 {
					t.Errorf("2nd edition's cloud hall %s shows %d projects (%v), want 513", z.Name, n, err)
				}
				return
			}
		}
		t.Error("the 2nd edition has no online cloud hall")
	}},
	{"线上线下齐发力,绵阳推出的科创项目实现有效对接100余次,6个项目寻找到合作方并签署合作意向协议", func(t *testing.T, w *demoWorld) {
		o := w.sum("").Overview
		if eff, agr := row(t, o, "reports.metric.effective").Values[1], row(t, o, "reports.metric.agreements").Values[1]; eff < 100 || eff >= 200 || agr != 6 {
			t.Errorf("2nd edition: %v effective pairings, %v agreements; want 100余 and 6", eff, agr)
		}
	}},
	{"去年1月,总投资12亿元的中攻闪光高能X射线FLASH医疗设备项目在绵阳签约开工", func(t *testing.T, w *demoWorld) {
		ps, err := w.a.pairing.Ceremony(w.ctx, w.eds[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			// 12亿元 is 120,000万元; Wan counts hundredths of 万元.
			if p.Supply.Title == conference.FlashTitle && p.Stage == "signed" && p.AmountWan != nil &&
				*p.AmountWan == pairing.Wan(120000*100) && strings.HasPrefix(p.SignedOn.String(), "2023-01") {
				return
			}
		}
		t.Errorf("no FLASH signing of 12亿元 in January 2023 among %d agreements", len(ps))
	}},
	{"第三届……新增了“京川渝”科创交流会和海外重大科创项目专场推介会,绵阳4个科创项目入选海外重大科创项目专场推介会", func(t *testing.T, w *demoWorld) {
		_, slots := w.session(2, "海外重大科创项目专场推介会")
		for _, s := range slots {
			if s.Delegation != conference.Mianyang {
				t.Errorf("overseas session pitch of %s", s.Delegation)
			}
		}
		if len(slots) != 4 {
			t.Errorf("overseas session has %d pitches, want 4", len(slots))
		}
		if _, slots := w.session(2, "京川渝科创交流会"); len(slots) == 0 {
			t.Error("京川渝科创交流会 has no pitches")
		}
	}},
	{"1月18日……启动仪式上……会上,精选涪江流域10个科技供需对接项目现场开启“双向奔赴”", func(t *testing.T, w *demoWorld) {
		ps, err := w.a.pairing.Ceremony(w.ctx, w.eds[2].ID)
		if err != nil {
			t.Fatal(err)
		}
		on := 0
		for _, p := range ps {
			if p.CeremonyPosition != nil {
				on++
			}
		}
		se, slots := w.session(2, "集中推介洽谈活动暨2024年涪江流域科技协同创新发展活动启动仪式")
		if on != 10 || len(slots) != 10 || se.StartsAt.In(roadshow.China).Format("2006-01-02") != "2024-01-18" {
			t.Errorf("%d pairings on stage, %d in the launch session at %s; want 10 on 18 January", on, len(slots), se.StartsAt)
		}
	}},
	{"签署《涪江流域深化科技协同创新发展合作协议》", func(t *testing.T, w *demoWorld) {
		se, _ := w.session(2, "集中推介洽谈活动")
		if !strings.Contains(se.Title, "《涪江流域深化科技协同创新发展合作协议》") {
			t.Errorf("the launch session %q does not name the agreement", se.Title)
		}
	}},
}

// TestDemoTellsTheSeed loads the demo as `huizhan demo` does and holds it
// to the seed: every figure the news page states, titles that are not
// near-copies of each other, and growth from the 2nd to the 3rd edition.
func TestDemoTellsTheSeed(t *testing.T) {
	w := loadDemoWorld(t)
	for _, f := range seedFigures {
		t.Run(f.sentence, func(t *testing.T) { f.check(t, w) })
	}
	t.Run("no near-duplicate titles", func(t *testing.T) {
		for _, e := range w.eds {
			var titles []string
			if err := w.a.db.R.Select(&titles, `SELECT title FROM projects WHERE edition_id = ? ORDER BY id`, e.ID); err != nil {
				t.Fatal(err)
			}
			for i, a := range titles {
				for _, b := range titles[i+1:] {
					if d := editDistance(a, b); d <= 2 {
						t.Errorf("edition %d: %q and %q are %d edits apart", e.Number, a, b, d)
					}
				}
			}
		}
	})
	t.Run("pairings and agreements grow from the 2nd to the 3rd edition", func(t *testing.T) {
		for _, m := range []string{"reports.metric.pairings", "reports.metric.effective", "reports.metric.agreements", reports.MetricAmount} {
			r := row(t, w.sum("").Overview, m)
			if !strings.HasPrefix(r.Growth(), "+") || r.Values[0] >= r.Values[1] {
				t.Errorf("%s: %v, growth %s; want growth every edition", m, r.Values, r.Growth())
			}
		}
	})
}

// editDistance is the Levenshtein distance between two strings, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"研发", "", 2}, {"锂电池隔膜研发", "锂电池隔膜研制", 1},
		{"新一代锂电池隔膜", "国产化锂电池隔膜", 3}, {"abc", "acb", 2},
	} {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
