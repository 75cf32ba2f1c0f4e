package pairing

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Doc is one project as the match index sees it.
type Doc struct {
	ID           int64
	DelegationID int64
	Supply       bool
	Kind         string // conference.Kind*: a finance product fits only a demand for money
	Industry     string
	Title        string
	Summary      string
	Keywords     []string
}

// Sides of the index: a demand is matched against supplies and the other
// way round.
const (
	demandSide = 0
	supplySide = 1
)

func sideOf(supply bool) int {
	if supply {
		return supplySide
	}
	return demandSide
}

// BM25 parameters, the usual ones.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

type posting struct {
	doc int32
	w   float32 // idf × saturated term frequency, length-normalised
}

// qterm is one term of a project as a query. Its weight is the
// field-weighted count itself, not saturated: a project's
// title terms must outweigh the words its summary mentions in passing, and
// saturating would flatten exactly that difference. BM25's saturation
// still applies on the document side.
type qterm struct {
	term int32
	w    float32 // how much the term counts when this doc is the query
}

// side holds the projects of one side: their postings (to be found) and
// their own terms (to search the other side with).
type side struct {
	docs     []Doc
	industry []int16
	money    []bool      // per doc: a finance product, or a demand that asks for money
	terms    [][]qterm   // per doc, sorted by term: its weights as a query
	postings [][]posting // per term ID
	pos      map[int64]int32
}

// Index is an immutable BM25 index over one edition's projects. Build it
// whole; Search is safe for concurrent use.
type Index struct {
	vocab      map[string]int32
	words      []string
	industries []string
	related    [][]bool
	sides      [2]side
}

// BuildIndex indexes docs.
func BuildIndex(docs []Doc) *Index {
	ix := &Index{vocab: map[string]int32{}}
	tfs := make([][]qterm, len(docs))
	lens := make([]float64, len(docs))
	var counts []int32 // by term ID, for the doc being read; reset after
	var seen []int32
	for i, d := range docs {
		docTerms(d.Title, d.Summary, d.Keywords, func(t []byte, w int) {
			id := ix.termID(t)
			if int(id) >= len(counts) {
				counts = append(counts, make([]int32, int(id)+1-len(counts)+1024)...)
			}
			if counts[id] == 0 {
				seen = append(seen, id)
			}
			counts[id] += int32(w)
		})
		slices.Sort(seen)
		tfs[i] = make([]qterm, len(seen))
		for j, id := range seen {
			tfs[i][j] = qterm{term: id, w: float32(counts[id])}
			lens[i] += float64(counts[id])
			counts[id] = 0
		}
		seen = seen[:0]
	}
	for s := range ix.sides {
		ix.buildSide(s, docs, tfs, lens)
	}
	ix.related = relatedMatrix(ix.industries)
	return ix
}

func (ix *Index) termID(t []byte) int32 {
	id, ok := ix.vocab[string(t)] // no allocation for the lookup
	if !ok {
		w := string(t)
		id = int32(len(ix.words))
		ix.vocab[w] = id
		ix.words = append(ix.words, w)
	}
	return id
}

func (ix *Index) industryID(name string) int16 {
	if i := slices.Index(ix.industries, name); i >= 0 {
		return int16(i)
	}
	ix.industries = append(ix.industries, name)
	return int16(len(ix.industries) - 1)
}

func (ix *Index) buildSide(s int, docs []Doc, tfs [][]qterm, lens []float64) {
	sd := &ix.sides[s]
	sd.pos = map[int64]int32{}
	var members []int
	var total float64
	df := make([]int32, len(ix.words))
	for i, d := range docs {
		if sideOf(d.Supply) != s {
			continue
		}
		members = append(members, i)
		total += lens[i]
		for _, q := range tfs[i] {
			df[q.term]++
		}
	}
	// One backing array for all postings of the side: fewer allocations
	// and less memory than growing each list.
	backing := make([]posting, 0, sum(df))
	sd.postings = make([][]posting, len(ix.words))
	for t, n := range df {
		sd.postings[t] = backing[len(backing) : len(backing) : len(backing)+int(n)]
		backing = backing[:len(backing)+int(n)]
	}
	n := float64(len(members))
	avg := max(total/max(n, 1), 1)
	for k, i := range members {
		sd.pos[docs[i].ID] = int32(k)
		sd.docs = append(sd.docs, docs[i])
		sd.industry = append(sd.industry, ix.industryID(docs[i].Industry))
		sd.money = append(sd.money, aboutMoney(docs[i]))
		norm := bm25K1 * (1 - bm25B + bm25B*lens[i]/avg)
		query := make([]qterm, len(tfs[i]))
		for j, q := range tfs[i] {
			tf := float64(q.w)
			idf := math.Log(1 + (n-float64(df[q.term])+0.5)/(float64(df[q.term])+0.5))
			w := float32(idf * tf * (bm25K1 + 1) / (tf + norm))
			sd.postings[q.term] = append(sd.postings[q.term], posting{doc: int32(k), w: w})
			query[j] = qterm{term: q.term, w: float32(tf)} // field-weighted, not saturated: see qterm
		}
		sd.terms = append(sd.terms, query)
	}
}

func sum(xs []int32) int {
	var s int
	for _, x := range xs {
		s += int(x)
	}
	return s
}

// Hit is one suggested counterpart.
type Hit struct {
	Doc   *Doc
	Score float64
	ix    *Index
	from  *side
	qi    int32 // the query's index in from
	di    int32 // Doc's index on the other side
}

// Size reports how many demands and supplies the index holds.
func (ix *Index) Size() (demands, supplies int) {
	return len(ix.sides[demandSide].docs), len(ix.sides[supplySide].docs)
}

// Has reports whether the project is in the index.
func (ix *Index) Has(projectID int64) bool {
	_, _, ok := ix.find(projectID)
	return ok
}

func (ix *Index) find(projectID int64) (int, int32, bool) {
	for s := range ix.sides {
		if i, ok := ix.sides[s].pos[projectID]; ok {
			return s, i, true
		}
	}
	return 0, 0, false
}

// Search returns the k best counterparts of a project, best first.
func (ix *Index) Search(projectID int64, k int) []Hit {
	s, i, ok := ix.find(projectID)
	if !ok {
		return nil
	}
	return ix.newSearcher(1-s).search(&ix.sides[s], i, k)
}

// SearchAll returns the k best counterparts of every project of one side
// (supply or not), indexed like that side's projects, using every core.
func (ix *Index) SearchAll(supply bool, k int) [][]Hit {
	s := sideOf(supply)
	from := &ix.sides[s]
	out := make([][]Hit, len(from.docs))
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sr := ix.newSearcher(1 - s)
			for {
				mu.Lock()
				start := next
				next += 64
				if start >= len(from.docs) {
					mu.Unlock()
					return
				}
				mu.Unlock()
				for i := start; i < min(start+64, len(from.docs)); i++ {
					out[i] = sr.search(from, int32(i), k)
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// Docs returns the projects of one side in index order, for SearchAll.
func (ix *Index) Docs(supply bool) []Doc { return ix.sides[sideOf(supply)].docs }

// searcher holds the score accumulators for searching one side; one per
// goroutine, reused between queries.
type searcher struct {
	ix      *Index
	to      *side
	acc     []float32
	factors []float64 // per industry ID, for the current query
}

func (ix *Index) newSearcher(to int) *searcher {
	return &searcher{ix: ix, to: &ix.sides[to], acc: make([]float32, len(ix.sides[to].docs)),
		factors: make([]float64, len(ix.industries))}
}

// search ranks the other side for the query document: term at a time into
// one accumulator per document, then one pass over the accumulators that
// applies the industry factor and keeps the k best. Nothing is pruned, so
// the result is the exhaustive BM25 ranking; the accumulator pass is a
// sequential scan, cheaper than tracking which documents were touched.
func (sr *searcher) search(from *side, qi int32, k int) []Hit {
	acc := sr.acc
	for _, q := range from.terms[qi] {
		for _, p := range sr.to.postings[q.term] {
			acc[p.doc] += q.w * p.w
		}
	}
	for i := range sr.factors {
		sr.factors[i] = sr.ix.industryFactor(from.industry[qi], int16(i))
	}
	top := newTopK(k)
	ind := sr.to.industry
	for d, a := range acc {
		if a == 0 {
			continue
		}
		acc[d] = 0
		score := float64(a) * sr.factors[ind[d]]
		if sr.to.money[d] != from.money[qi] {
			score *= kindMismatchFactor
		}
		if len(top.h) == k && score < top.h[0].score {
			continue
		}
		top.offer(int32(d), score)
	}
	ranked := top.sorted()
	hits := make([]Hit, len(ranked))
	for j, r := range ranked {
		hits[j] = Hit{Doc: &sr.to.docs[r.doc], Score: r.score, ix: sr.ix, from: from, qi: qi, di: r.doc}
	}
	return hits
}

// Industry factors: text decides; sharing an industry (or a neighbouring
// one) lifts a match, an unrelated industry lowers it, neither creates one.
const (
	sameIndustryFactor      = 1.3
	relatedIndustryFactor   = 1.15
	unrelatedIndustryFactor = 0.8
)

// kindMismatchFactor lowers a finance product (科创金融产品) for a demand
// for technology, and a technology for a demand for money: the kinds do
// not fit, whatever words they share.
const kindMismatchFactor = 0.1

func (ix *Index) industryFactor(a, b int16) float64 {
	switch {
	case a == b:
		return sameIndustryFactor
	case ix.related[a][b]:
		return relatedIndustryFactor
	}
	return unrelatedIndustryFactor
}

// moneyWords mark a demand that asks for money rather than technology.
var moneyWords = []string{"融资", "贷款", "资金", "金融", "投资", "担保", "保险"}

// aboutMoney reports whether a project is about money: a finance product,
// or a demand whose title or keywords ask for it.
func aboutMoney(d Doc) bool {
	if d.Kind == "finance" {
		return true
	}
	if d.Supply {
		return false
	}
	text := d.Title + " " + strings.Join(d.Keywords, " ")
	return slices.ContainsFunc(moneyWords, func(w string) bool { return strings.Contains(text, w) })
}
