package pairing

import (
	"container/heap"
	"sort"
)

type ranked struct {
	doc   int32
	score float64
}

// topK keeps the k best offers in a min-heap: the worst kept is at the
// root and is the one an offer must beat. Ties go to the earlier document
// so that results do not depend on the order of the postings.
type topK struct {
	k int
	h rankHeap
}

func newTopK(k int) *topK { return &topK{k: k, h: make(rankHeap, 0, k)} }

func (t *topK) offer(doc int32, score float64) {
	if t.k <= 0 {
		return
	}
	r := ranked{doc, score}
	if len(t.h) < t.k {
		heap.Push(&t.h, r)
		return
	}
	if worse(t.h[0], r) {
		t.h[0] = r
		heap.Fix(&t.h, 0)
	}
}

// sorted returns the kept offers, best first.
func (t *topK) sorted() []ranked {
	out := append([]ranked(nil), t.h...)
	sort.Slice(out, func(i, j int) bool { return worse(out[j], out[i]) })
	return out
}

// worse reports whether a ranks below b.
func worse(a, b ranked) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.doc > b.doc
}

type rankHeap []ranked

func (h rankHeap) Len() int           { return len(h) }
func (h rankHeap) Less(i, j int) bool { return worse(h[i], h[j]) }
func (h rankHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *rankHeap) Push(x any)        { *h = append(*h, x.(ranked)) }
func (h *rankHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
