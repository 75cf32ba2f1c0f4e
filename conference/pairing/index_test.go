package pairing

import (
	"reflect"
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"锂电池", []string{"锂电", "电池"}},
		{"储能 Battery-Pack", []string{"储能", "battery", "pack"}},
		{"的 and 5G", []string{"的", "5g"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := tokens(nil, tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPhrases(t *testing.T) {
	shared := map[string]bool{"锂电": true, "电池": true, "储能": true, "battery": true}
	got := phrases([]string{"高安全锂电池储能系统", "Battery pack"}, shared)
	want := []string{"锂电池", "储能", "Battery"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("phrases = %q, want %q", got, want)
	}
}

// smallCorpus is hand-made: one demand about lithium batteries, battery
// achievements and unrelated supplies.
func smallCorpus() []Doc {
	return []Doc{
		{ID: 1, Industry: "双碳与新能源", Title: "高能量密度锂电池正极材料技术需求",
			Summary: "企业需要提升锂电池能量密度和循环寿命的正极材料及电池管理技术", Keywords: []string{"锂电池", "正极材料"}},
		{ID: 10, Supply: true, Industry: "双碳与新能源", Title: "高镍三元锂电池正极材料制备技术",
			Summary: "一种提高锂电池能量密度与循环寿命的正极材料制备方法", Keywords: []string{"锂电池", "正极材料"}},
		{ID: 11, Supply: true, Industry: "先进材料", Title: "动力电池管理系统",
			Summary: "面向新能源汽车的电池管理与热失控预警技术", Keywords: []string{"电池管理"}},
		{ID: 12, Supply: true, Industry: "食品饮料", Title: "浓香型白酒酿造工艺优化",
			Summary: "传统白酒固态发酵工艺改进，提高出酒率", Keywords: []string{"白酒", "发酵"}},
		{ID: 13, Supply: true, Industry: "农业种业", Title: "杂交水稻新品种选育",
			Summary: "高产抗病杂交水稻品种及配套栽培技术", Keywords: []string{"水稻", "育种"}},
		{ID: 14, Supply: true, Industry: "电子信息", Title: "工业互联网平台",
			Summary: "制造企业设备联网与数据分析平台", Keywords: []string{"工业互联网"}},
		{ID: 2, Industry: "食品饮料", Title: "白酒酿造自动化改造需求", Summary: "酒企希望提高发酵车间自动化水平"},
	}
}

func TestRankingBatteryDemand(t *testing.T) {
	ix := BuildIndex(smallCorpus())
	hits := ix.Search(1, 10)
	var ids []int64
	for _, h := range hits {
		ids = append(ids, h.Doc.ID)
	}
	if len(ids) < 2 || ids[0] != 10 || ids[1] != 11 {
		t.Fatalf("ranking for the 锂电池 demand = %v, want the two battery achievements (10, 11) first", ids)
	}
	for _, unrelated := range []int64{12, 13, 14} {
		if i := slices.Index(ids, unrelated); i >= 0 && i < 2 {
			t.Errorf("unrelated supply %d ranked at %d", unrelated, i)
		}
	}
	for _, h := range hits {
		if !h.Doc.Supply {
			t.Errorf("a demand (%d) was suggested for a demand", h.Doc.ID)
		}
	}
	rs := hits[0].Reasons()
	want := []Reason{
		{Kind: ReasonKeywords, Terms: []string{"锂电池", "正极材料"}},
		{Kind: ReasonTerms},
		{Kind: ReasonSameIndustry, Industry: "双碳与新能源"},
	}
	if len(rs) != 3 {
		t.Fatalf("reasons %+v", rs)
	}
	if !reflect.DeepEqual(rs[0], want[0]) || rs[1].Kind != ReasonTerms || !reflect.DeepEqual(rs[2], want[2]) {
		t.Errorf("reasons = %+v, want %+v", rs, want)
	}
	if !slices.Contains(rs[1].Terms, "锂电池") || !slices.Contains(rs[1].Terms, "正极材料") {
		t.Errorf("shared terms %q lack 锂电池 and 正极材料", rs[1].Terms)
	}
	if r := hits[1].Reasons(); r[len(r)-1].Kind != ReasonRelatedIndustry {
		t.Errorf("battery management (先进材料) for a 双碳与新能源 demand: reasons %+v, want a related industry", r)
	}
}

func TestSearchFromSupplyFindsDemands(t *testing.T) {
	ix := BuildIndex(smallCorpus())
	hits := ix.Search(12, 5) // the baijiu achievement
	if len(hits) == 0 || hits[0].Doc.ID != 2 {
		t.Fatalf("baijiu supply: hits %v, want the baijiu demand first", hits)
	}
	for _, h := range hits {
		if h.Doc.Supply {
			t.Errorf("a supply (%d) was suggested for a supply", h.Doc.ID)
		}
	}
	if ix.Search(999, 5) != nil {
		t.Error("unknown project got suggestions")
	}
}

func TestSearchAllMatchesSearch(t *testing.T) {
	ix := BuildIndex(smallCorpus())
	all := ix.SearchAll(false, 3)
	for i, d := range ix.Docs(false) {
		one := ix.Search(d.ID, 3)
		if len(one) != len(all[i]) {
			t.Fatalf("demand %d: SearchAll %d hits, Search %d", d.ID, len(all[i]), len(one))
		}
		for j := range one {
			if one[j].Doc.ID != all[i][j].Doc.ID || one[j].Score != all[i][j].Score {
				t.Errorf("demand %d hit %d differs", d.ID, j)
			}
		}
	}
}
