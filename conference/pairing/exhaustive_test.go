package pairing

import (
	"testing"
)

// exhaustive scores a demand against every supply by a direct dot product
// over the supply's own term weights, without the inverted index: the
// reference the indexed search must agree with.
func exhaustive(ix *Index, weights []map[int32]float32, demand int32, k int) []int64 {
	from, to := &ix.sides[demandSide], &ix.sides[supplySide]
	top := newTopK(k)
	for d := range to.docs {
		var s float32
		for _, q := range from.terms[demand] {
			s += q.w * weights[d][q.term]
		}
		if s > 0 {
			top.offer(int32(d), float64(s)*ix.industryFactor(from.industry[demand], to.industry[d]))
		}
	}
	var ids []int64
	for _, r := range top.sorted() {
		ids = append(ids, to.docs[r.doc].ID)
	}
	return ids
}

// TestIndexedAgreesWithExhaustive: the indexed search prunes nothing, so
// its top 10 must be the exhaustive top 10 on a synthetic corpus.
func TestIndexedAgreesWithExhaustive(t *testing.T) {
	ix := BuildIndex(synthCorpus(7, 400, 600))
	all := ix.SearchAll(false, 10)
	to := &ix.sides[supplySide]
	weights := make([]map[int32]float32, len(to.docs))
	for t, ps := range to.postings {
		for _, p := range ps {
			if weights[p.doc] == nil {
				weights[p.doc] = map[int32]float32{}
			}
			weights[p.doc][int32(t)] = p.w
		}
	}
	same, total := 0, 0
	for i := range all {
		want := exhaustive(ix, weights, int32(i), 10)
		got := map[int64]bool{}
		for _, h := range all[i] {
			got[h.Doc.ID] = true
		}
		for _, id := range want {
			total++
			if got[id] {
				same++
			}
		}
	}
	if same != total {
		t.Errorf("indexed top-10 overlaps exhaustive in %d of %d", same, total)
	}
}
