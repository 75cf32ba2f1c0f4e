package pairing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese has no spaces between words, so the index uses overlapping
// character bigrams for runs of Han characters (锂电池 → 锂电, 电池) and
// lower-cased words for Latin text. Bigrams need no dictionary, match
// words of any length, and BM25's IDF discounts the bigrams that glue
// every technical text together (技术, 研发).

// stopWords are English words too common in project texts to say anything.
var stopWords = map[string]bool{
	"the": true, "and": true, "of": true, "for": true, "with": true, "in": true, "on": true,
	"to": true, "an": true, "by": true, "is": true, "are": true, "at": true, "or": true,
	"from": true, "as": true, "its": true, "be": true, "this": true, "that": true,
}

// chineseStopWords are words of Chinese technology prose that say nothing
// about what a project is: the boilerplate of project forms (采用, 开展,
// 具备, 以上, 预期投入, 规模化推广). They are cut out of the text before
// it is split into bigrams, so they neither match nor show as reasons,
// and no bigram spans them. Longer words come first, so that 技术需求 goes
// whole before 技术.
var chineseStopWords = []string{
	"解决方案征集", "关键技术研究", "成果转化经验", "规模化推广", "科研院所", "联合攻关", "技术瓶颈", "技术需求",
	"技术攻关", "合作需求", "开发与应用", "及产业化", "应用示范", "发明专利", "已获授权", "同类产品", "关键指标",
	"满足生产", "难以满足", "本单位", "合作方", "等问题", "等方法", "拟寻求", "产业化",
	"采用", "开展", "具备", "以上", "预期", "投入", "万元", "希望", "相关", "经验", "方面", "存在", "现有",
	"难以", "满足", "需要", "寻求", "高校", "企业", "合作", "面向", "针对", "研制", "国内", "提升", "推广",
	"条件", "示范", "专利", "项目", "研究", "研发", "开发", "应用", "技术", "方法", "问题", "需求", "征集",
	"较", "该", "了", "的", "等", "及", "与", "和", "在", "为", "对", "拟", "有",
}

var stopReplacer = func() *strings.Replacer {
	pairs := make([]string, 0, 2*len(chineseStopWords))
	for _, w := range chineseStopWords {
		pairs = append(pairs, w, " ")
	}
	return strings.NewReplacer(pairs...)
}()

// withoutStopWords blanks the Chinese stop words of text.
func withoutStopWords(text string) string { return stopReplacer.Replace(text) }

// keywordPrefix marks a whole keyword as one term, so that two projects
// sharing a keyword score more than the bigrams alone would give.
const keywordPrefix = "#"

// tokens appends the terms of text to dst.
func tokens(dst []string, text string) []string {
	scanTerms(text, func(t []byte) { dst = append(dst, string(t)) })
	return dst
}

// scanTerms calls emit with each term of text: Han bigrams (a lone Han
// character as itself) and lower-cased Latin words of two or more letters
// or digits. The slice passed to emit is reused; emit must copy it to keep
// it. Nothing is allocated per term, which keeps indexing 95,000 projects
// fast.
func scanTerms(text string, emit func([]byte)) {
	var buf [64]byte
	var prev rune // the previous Han character of the current run, or 0
	var lone bool // prev is the only Han character of the run so far
	word := buf[:0]
	flushHan := func() {
		if prev != 0 && lone {
			emit(utf8.AppendRune(buf[:0], prev))
		}
		prev, lone = 0, false
	}
	flushWord := func() {
		if utf8.RuneCount(word) >= 2 && !stopWords[string(word)] {
			emit(word)
		}
		word = buf[:0]
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			if len(word) > 0 {
				flushWord()
			}
			if prev == 0 {
				prev, lone = r, true
				continue
			}
			emit(utf8.AppendRune(utf8.AppendRune(buf[:0], prev), r))
			prev, lone = r, false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan()
			if len(word)+utf8.UTFMax <= len(buf) {
				word = utf8.AppendRune(word, unicode.ToLower(r))
			}
		default:
			flushHan()
			flushWord()
		}
	}
	flushHan()
	flushWord()
}

// normKeyword is a keyword as compared between projects.
func normKeyword(k string) string { return strings.ToLower(strings.TrimSpace(k)) }

// Field weights: the title says what a project is (what a demand asks
// for, what a supply offers); keywords count above the summary, whose
// sentences mention other things in passing (a demand's summary names the
// equipment it already has). A shared topic (concepts.go) of the titles
// counts most. Tuned on the labelled evaluation set (testdata/README.md).
const (
	titleWeight   = 8
	keywordWeight = 2
	summaryWeight = 1
	topicWeight   = 32
)

// docTerms calls add with each term of one project's texts and its
// field weight; a keyword also counts whole, as keywordPrefix+keyword.
func docTerms(title, summary string, keywords []string, add func(term []byte, weight int)) {
	field := func(text string, w int) { scanTerms(withoutStopWords(text), func(t []byte) { add(t, w) }) }
	field(title, titleWeight)
	titleTopics(title, func(t []byte) { add(t, topicWeight) })
	field(summary, summaryWeight)
	for _, k := range keywords {
		field(k, keywordWeight)
		if n := normKeyword(k); n != "" {
			add([]byte(keywordPrefix+n), 1)
		}
	}
}

// phrases turns the shared terms back into readable words: runs of the
// query's text whose consecutive bigrams all matched become one phrase
// (锂电, 电池 → 锂电池), Latin words stay as they are. Order follows the
// text; duplicates are dropped.
func phrases(texts []string, shared map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	emit := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, text := range texts {
		rs := []rune(text)
		for i := 0; i < len(rs); {
			if !unicode.Is(unicode.Han, rs[i]) {
				j := i
				for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) && !unicode.Is(unicode.Han, rs[j]) {
					j++
				}
				if w := strings.ToLower(string(rs[i:j])); j > i && shared[w] {
					emit(string(rs[i:j]))
				}
				i = max(j, i+1)
				continue
			}
			j := i
			for j+1 < len(rs) && unicode.Is(unicode.Han, rs[j+1]) && shared[string(rs[j:j+2])] {
				j++
			}
			if j > i {
				emit(string(rs[i : j+1]))
			}
			i = j + 1
		}
	}
	return out
}
