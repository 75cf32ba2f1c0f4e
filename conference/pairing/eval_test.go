package pairing

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"huizhan/conference"
)

// The matching evaluation (testdata/README.md): demands of the demo's
// current edition, each with the supplies a domain reader accepts, by
// title. The benchmark ranks the supplies of every labelled demand and
// reports precision@5 and nDCG@10.

var writeEval = flag.Bool("write-match-eval", false, "rewrite testdata/match_eval.json from the demo and testdata/match_eval_rules.json")

const (
	evalFile  = "testdata/match_eval.json"
	rulesFile = "testdata/match_eval_rules.json"
)

// evalSet is the labelled set: demand title → accepted supply titles.
type evalSet struct {
	About   string       `json:"about"`
	Demands []evalDemand `json:"demands"`
}

type evalDemand struct {
	Title    string   `json:"title"`
	Relevant []string `json:"relevant"`
}

// demoIndex seeds the demo's projects into a fresh database and indexes
// its current edition, as the recommender would.
func demoIndex(tb testing.TB) *Index {
	tb.Helper()
	d := dbtestOpen(tb)
	ctx := context.Background()
	demo, err := conference.NewStore(d).SeedDemo(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := NewRecommender(d, nil).build(ctx, demo.Current().ID)
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

func loadEval(tb testing.TB) evalSet {
	tb.Helper()
	b, err := os.ReadFile(evalFile)
	if err != nil {
		tb.Fatal(err)
	}
	var s evalSet
	if err := json.Unmarshal(b, &s); err != nil {
		tb.Fatalf("%s: %v", evalFile, err)
	}
	return s
}

// evaluate ranks the supplies of every demand whose title is labelled and
// returns the mean precision@5 and nDCG@10 over those demands. A labelled
// title that is not in the data fails the caller: the set must be redone
// (see testdata/README.md), not silently shrink.
func evaluate(tb testing.TB, ix *Index, set evalSet) (p5, ndcg10 float64, n int) {
	tb.Helper()
	demands := map[string][]int64{}
	for _, d := range ix.Docs(false) {
		demands[d.Title] = append(demands[d.Title], d.ID)
	}
	supplies := map[string]int{} // title → how many supplies have it
	for _, d := range ix.Docs(true) {
		supplies[d.Title]++
	}
	var missing []string
	for _, ed := range set.Demands {
		if len(demands[ed.Title]) == 0 {
			missing = append(missing, "demand "+ed.Title)
		}
		for _, r := range ed.Relevant {
			if supplies[r] == 0 {
				missing = append(missing, "supply "+r)
			}
		}
	}
	if len(missing) > 0 {
		tb.Fatalf("the matching evaluation set names %d titles the demo no longer has (redo %s, see testdata/README.md): %s",
			len(missing), evalFile, strings.Join(missing, "; "))
	}
	for _, ed := range set.Demands {
		rel, nrel := map[string]bool{}, 0
		for _, r := range ed.Relevant {
			rel[r] = true
			nrel += supplies[r]
		}
		for _, id := range demands[ed.Title] {
			hits := ix.Search(id, 10)
			p5 += precisionAt(hits, rel, 5)
			ndcg10 += ndcgAt(hits, rel, nrel, 10)
			n++
		}
	}
	return p5 / float64(n), ndcg10 / float64(n), n
}

func precisionAt(hits []Hit, rel map[string]bool, k int) float64 {
	var good int
	for _, h := range hits[:min(k, len(hits))] {
		if rel[h.Doc.Title] {
			good++
		}
	}
	return float64(good) / float64(k)
}

// ndcgAt is binary-relevance nDCG: a relevant supply at rank i (from 1)
// gains 1/log2(i+1); the ideal ranking puts all nrel relevant supplies
// first.
func ndcgAt(hits []Hit, rel map[string]bool, nrel, k int) float64 {
	var dcg, ideal float64
	for i, h := range hits[:min(k, len(hits))] {
		if rel[h.Doc.Title] {
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	for i := range min(k, nrel) {
		ideal += 1 / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// BenchmarkMatchQuality is the matching evaluation: it reports the mean
// precision@5 and nDCG@10 of the labelled demands of the demo.
func BenchmarkMatchQuality(b *testing.B) {
	ix := demoIndex(b)
	set := loadEval(b)
	var p5, ndcg float64
	var n int
	for b.Loop() {
		p5, ndcg, n = evaluate(b, ix, set)
	}
	b.ReportMetric(p5, "precision@5")
	b.ReportMetric(ndcg, "nDCG@10")
	b.ReportMetric(float64(n), "demands")
	b.Logf("precision@5 %.3f, nDCG@10 %.3f over %d demands (%d labelled titles)", p5, ndcg, n, len(set.Demands))
}

// TestMatchEvalSet keeps the labelled set usable: every labelled title is
// in the demo, and it holds at least 40 demand titles. With
// -write-match-eval it rewrites the set from the rules instead.
func TestMatchEvalSet(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the whole demo")
	}
	ix := demoIndex(t)
	if *writeEval {
		writeMatchEval(t, ix)
	}
	set := loadEval(t)
	if len(set.Demands) < 40 {
		t.Fatalf("%d labelled demands, want at least 40", len(set.Demands))
	}
	p5, ndcg, n := evaluate(t, ix, set)
	t.Logf("precision@5 %.3f, nDCG@10 %.3f over %d demands", p5, ndcg, n)
}

// writeMatchEval labels every demand title of the demo whose need has a
// rule: the accepted supplies are the demo's supply titles that contain
// one of the rule's words.
func writeMatchEval(t *testing.T, ix *Index) {
	b, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Needs []struct {
			Need   string   `json:"need"`
			Accept []string `json:"accept"`
		} `json:"needs"`
	}
	if err := json.Unmarshal(b, &rules); err != nil {
		t.Fatal(err)
	}
	var supplies []string
	for _, d := range ix.Docs(true) {
		if !slices.Contains(supplies, d.Title) {
			supplies = append(supplies, d.Title)
		}
	}
	slices.Sort(supplies)
	set := evalSet{About: "Demands of the demo's current edition (by title) and the supplies (by title) a domain reader accepts for them; made from " +
		rulesFile + " by TestMatchEvalSet -write-match-eval; see README.md."}
	seen := map[string]bool{}
	for _, d := range ix.Docs(false) {
		if seen[d.Title] {
			continue
		}
		seen[d.Title] = true
		for _, r := range rules.Needs {
			if !strings.HasPrefix(d.Title, r.Need) {
				continue
			}
			ed := evalDemand{Title: d.Title}
			for _, s := range supplies {
				for _, a := range r.Accept {
					if strings.Contains(s, a) {
						ed.Relevant = append(ed.Relevant, s)
						break
					}
				}
			}
			set.Demands = append(set.Demands, ed)
		}
	}
	slices.SortFunc(set.Demands, func(a, b evalDemand) int { return strings.Compare(a.Title, b.Title) })
	out, err := json.MarshalIndent(set, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(evalFile, append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMatchExamples: the examples on the demo. The top five of a
// 储能 (energy storage) demand hold no thin-film or other materials
// project, and no reason shows filler words of Chinese project forms.
func TestMatchExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the whole demo")
	}
	ix := demoIndex(t)
	filler := []string{"采用", "开展", "具备", "以上", "技术需求", "合作方"}
	var storage int
	for _, d := range ix.Docs(false) {
		hits := ix.Search(d.ID, 10)
		if strings.HasPrefix(d.Title, "储能") {
			storage++
			for i, h := range hits[:min(5, len(hits))] {
				if strings.Contains(h.Doc.Title, "薄膜") || h.Doc.Industry == "先进材料" {
					t.Errorf("%s: match %d is %s (%s)", d.Title, i+1, h.Doc.Title, h.Doc.Industry)
				}
			}
		}
		for _, h := range hits {
			for _, r := range h.Reasons() {
				for _, term := range r.Terms {
					for _, f := range filler {
						if strings.Contains(term, f) {
							t.Fatalf("%s → %s: reason %s shows %q", d.Title, h.Doc.Title, r.Kind, term)
						}
					}
				}
			}
		}
	}
	if storage == 0 {
		t.Fatal("the demo has no 储能 demand any more; pick another example")
	}
}

// TestKindsMustFit: a finance product comes after a technology for a
// demand for technology even when it shares more words, and first for a
// demand for money.
func TestKindsMustFit(t *testing.T) {
	ix := BuildIndex([]Doc{
		{ID: 1, Kind: "demand", Industry: "双碳与新能源", Title: "储能电站安全预警技术需求", Keywords: []string{"储能电站"}},
		{ID: 2, Kind: "demand", Industry: "双碳与新能源", Title: "储能电站建设融资需求", Keywords: []string{"储能电站", "融资"}},
		{ID: 3, Supply: true, Kind: "finance", Industry: "双碳与新能源", Title: "储能电站安全预警专项贷款", Keywords: []string{"储能电站", "科技金融"}},
		{ID: 4, Supply: true, Kind: "achievement", Industry: "双碳与新能源", Title: "储能系统热失控预警", Keywords: []string{"储能系统"}},
	})
	for _, tc := range []struct {
		demand, first int64
	}{{1, 4}, {2, 3}} {
		hits := ix.Search(tc.demand, 2)
		if len(hits) == 0 || hits[0].Doc.ID != tc.first {
			t.Errorf("demand %d: first match %+v, want %d", tc.demand, hits, tc.first)
		}
	}
}
