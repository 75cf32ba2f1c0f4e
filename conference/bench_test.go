package conference

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/xuri/excelize/v2"

	"huizhan/internal/db"
	"huizhan/internal/web"
)

// englishTerms go into some generated projects so English queries have
// something to find, as on the real platform.
var englishTerms = []string{"lithium battery", "edge computing gateway", "thin film", "machine vision",
	"hydrogen fuel cell", "precision reducer", "probiotic fermentation", "remote diagnosis"}

// fillProjects inserts n generated projects into a fresh edition with one
// delegation and returns the edition's ID.
func fillProjects(tb testing.TB, s *Store, n int) int64 {
	tb.Helper()
	ctx := context.Background()
	e, err := s.CreateEdition(ctx, EditionInput{Number: 90, Name: "基准测试", Year: 2024,
		StartsOn: date(2024, 1, 18), EndsOn: date(2024, 1, 19), City: "绵阳"})
	if err != nil {
		tb.Fatal(err)
	}
	d, err := s.CreateDelegation(ctx, e.ID, DelegationInput{Name: Mianyang})
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	err = s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		ins, err := newBulkInserter(ctx, tx, time.Now().UTC())
		if err != nil {
			return err
		}
		defer ins.close()
		for i := range n {
			in := demoProject(r, pick(r, mixedKinds), "绵阳", true)
			in.DelegationID = d.ID
			if i%5 == 0 {
				in.Summary += " Keywords: " + pick(r, englishTerms) + ", " + pick(r, englishTerms) + "."
			}
			if err := ins.add(ctx, e.ID, in, StatusReviewed, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return e.ID
}

var benchDB struct {
	once    sync.Once
	dir     string
	store   *Store
	edition int64
}

// TestMain removes the search benchmark's database, which is too large to
// leave in the temporary directory.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB.dir != "" {
		benchDB.store.db.Close()
		os.RemoveAll(benchDB.dir)
	}
	os.Exit(code)
}

// searchStore is 100,000 projects, built once per test binary run, or
// kept in the file HUIZHAN_BENCH_DB names (built there the first time,
// reused after) to spare the minute it takes to build.
func searchStore(b *testing.B) (*Store, int64) {
	benchDB.once.Do(func() {
		path := os.Getenv("HUIZHAN_BENCH_DB")
		if path == "" {
			dir, err := os.MkdirTemp("", "huizhan-bench")
			if err != nil {
				b.Fatal(err)
			}
			benchDB.dir, path = dir, filepath.Join(dir, "bench.db")
		}
		d, err := db.Open(path, db.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Migrate(context.Background(), Migrations()); err != nil {
			b.Fatal(err)
		}
		benchDB.store = NewStore(d)
		if err := d.R.Get(&benchDB.edition, `SELECT id FROM editions WHERE number = 90`); err != nil {
			benchDB.edition = fillProjects(b, benchDB.store, 100000)
		}
	})
	if benchDB.store == nil {
		b.Fatal("bench database not built")
	}
	return benchDB.store, benchDB.edition
}

// BenchmarkSearch times the hall's search over 100,000 projects: a page of
// 20 and the total, as the page shows them. It reports the median and the
// 99th percentile of the queries of each kind.
func BenchmarkSearch(b *testing.B) {
	s, edition := searchStore(b)
	classes := []struct {
		name    string
		queries []string
	}{
		{"zh2", []string{"锂电", "薄膜", "芯片", "白酒", "育种", "影像", "北京", "储能"}},
		{"zh4", []string{"功能薄膜", "锂电池循", "白酒酿造", "边缘计算", "精密减速", "智能检测", "寿命预估", "医学影像"}},
		{"en", []string{"battery", "gateway", "film", "vision", "hydrogen", "reducer", "fermentation", "diagnosis"}},
	}
	for _, c := range classes {
		b.Run(c.name, func(b *testing.B) {
			var times []time.Duration
			i := 0
			cpu0 := cpuTime()
			for b.Loop() {
				q := c.queries[i%len(c.queries)]
				i++
				t0 := time.Now()
				_, _, err := s.Projects(context.Background(), nil, edition, ProjectFilter{Q: q, Public: true}, web.Paging{Page: 1, PerPage: 20})
				times = append(times, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(ms(cpuTime()-cpu0)/float64(len(times)), "cpu-ms/op")
			slices.Sort(times)
			b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
			b.ReportMetric(ms(times[len(times)*99/100]), "p99-ms")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkImport10k times the import of a 10,000-row workbook and
// reports the peak heap in use while it runs.
func BenchmarkImport10k(b *testing.B) {
	data := importWorkbook(b, 10000)
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
	peak := 0.0
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		f := newProjectFixtureTB(b)
		runtime.GC()
		stop := sampleHeap(&peak)
		cpu0 := cpuTime()
		b.StartTimer()
		n, err := f.s.ImportProjects(context.Background(), f.delegation, f.edition.ID, 0, bytes.NewReader(data), "p.xlsx", ImportOptions{})
		b.StopTimer()
		cpu += cpuTime() - cpu0
		stop()
		if err != nil || n != 10000 {
			b.Fatalf("imported %d: %v", n, err)
		}
		b.StartTimer()
	}
	b.ReportMetric(peak, "peak-heap-MB")
	b.ReportMetric(ms(cpu)/float64(b.N), "cpu-ms/op")
}

// cpuTime is the CPU time the process has used, user and system: on a
// shared machine it says what an operation costs when wall time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sampleHeap records the largest heap in use, in MB, until stopped.
func sampleHeap(peak *float64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			*peak = max(*peak, float64(m.HeapInuse)/(1<<20))
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// importWorkbook is an import file of n generated rows, streamed out the
// way Excel lays out a big sheet.
func importWorkbook(tb testing.TB, n int) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	head := make([]any, len(importHeader))
	for i, h := range importHeader {
		head[i] = h
	}
	sw.SetRow("A1", head)
	r := rand.New(rand.NewPCG(7, 7))
	for i := range n {
		in := demoProject(r, pick(r, mixedKinds), "绵阳", true)
		row := []any{KindLabels[in.Kind], fmt.Sprintf("%s（%d）", in.Title, i), in.Industry, in.Summary, in.Organisation,
			joinKeywords(in.Keywords), in.ContactName, in.ContactPhone, "否"}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
