package pairing

import "strings"

// relatedIndustries are the neighbouring industries of the conference's
// leading ones: a battery maker (双碳与新能源) buys materials (先进材料)
// and machines (装备制造).
var relatedIndustries = [][2]string{
	{"电子信息", "装备制造"}, {"先进材料", "双碳与新能源"}, {"先进材料", "装备制造"},
	{"双碳与新能源", "装备制造"}, {"食品饮料", "农业种业"}, {"生命健康", "食品饮料"},
	{"生命健康", "农业种业"}, {"电子信息", "生命健康"}, {"先进材料", "电子信息"},
}

func relatedMatrix(industries []string) [][]bool {
	m := make([][]bool, len(industries))
	for i := range m {
		m[i] = make([]bool, len(industries))
	}
	at := map[string]int{}
	for i, n := range industries {
		at[n] = i
	}
	for _, p := range relatedIndustries {
		a, okA := at[p[0]]
		b, okB := at[p[1]]
		if okA && okB {
			m[a][b], m[b][a] = true, true
		}
	}
	return m
}

// Reason kinds: why a counterpart was suggested.
const (
	ReasonSameIndustry    = "same_industry"
	ReasonRelatedIndustry = "related_industry"
	ReasonKeywords        = "shared_keywords"
	ReasonTerms           = "shared_terms"
	ReasonTopic           = "shared_topic" // both titles are about one topic (concepts.go)
)

// Reason is one ground for a suggestion; Terms are readable words (whole
// keywords, or runs of matching text such as 锂电池), not index bigrams.
type Reason struct {
	Kind     string   `json:"kind"`
	Industry string   `json:"industry,omitempty"`
	Terms    []string `json:"terms,omitempty"`
}

// maxReasonTerms caps the words shown for one reason.
const maxReasonTerms = 6

// Reasons says why the hit was suggested: shared keywords, shared words
// of the texts, and the industry.
func (h Hit) Reasons() []Reason {
	q := &h.from.docs[h.qi]
	to := &h.ix.sides[1-sideIndex(h.ix, h.from)]
	shared := map[string]bool{}
	theirs := to.terms[h.di]
	j := 0
	for _, t := range h.from.terms[h.qi] {
		for j < len(theirs) && theirs[j].term < t.term {
			j++
		}
		if j < len(theirs) && theirs[j].term == t.term {
			shared[h.ix.words[t.term]] = true
		}
	}
	var rs []Reason
	var kws []string
	for _, k := range q.Keywords {
		if shared[keywordPrefix+normKeyword(k)] {
			kws = append(kws, strings.TrimSpace(k))
		}
	}
	var tops []string
	for _, t := range topics {
		if shared[topicPrefix+t.name] {
			tops = append(tops, t.name)
		}
	}
	if len(tops) > 0 {
		rs = append(rs, Reason{Kind: ReasonTopic, Terms: capped(tops)})
	}
	if len(kws) > 0 {
		rs = append(rs, Reason{Kind: ReasonKeywords, Terms: capped(kws)})
	}
	words := phrases(append([]string{q.Title, q.Summary}, q.Keywords...), shared)
	if len(words) > 0 {
		rs = append(rs, Reason{Kind: ReasonTerms, Terms: capped(longestFirst(words))})
	}
	qi, di := h.from.industry[h.qi], to.industry[h.di]
	switch {
	case qi == di:
		rs = append(rs, Reason{Kind: ReasonSameIndustry, Industry: q.Industry})
	case h.ix.related[qi][di]:
		rs = append(rs, Reason{Kind: ReasonRelatedIndustry, Industry: h.Doc.Industry})
	}
	return rs
}

func sideIndex(ix *Index, s *side) int {
	if s == &ix.sides[supplySide] {
		return supplySide
	}
	return demandSide
}

func capped(xs []string) []string {
	if len(xs) > maxReasonTerms {
		return xs[:maxReasonTerms]
	}
	return xs
}

// longestFirst orders phrases by length (a stable sort keeps the text's
// order among equals): 锂电池 says more than 电池.
func longestFirst(xs []string) []string {
	out := append([]string(nil), xs...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len([]rune(out[j])) > len([]rune(out[j-1])); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
