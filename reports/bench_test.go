package reports

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// bulk seeds an edition with n scans (and 5,000 attendees, 20
// checkpoints) or n projects, in one transaction.
func bulk(b *testing.B, scans, projects int) *fixture {
	b.Helper()
	f := seed(b)
	ed := f.editions[2]
	tx, err := f.d.W.Begin()
	if err != nil {
		b.Fatal(err)
	}
	var cps []int64
	for i := 0; i < 20; i++ {
		var id int64
		err := tx.QueryRow(`INSERT INTO checkpoints (edition_id, name, kind, rule, created_at, updated_at) VALUES (?, ?, 'session', 'multiple', ?, ?) RETURNING id`,
			ed, fmt.Sprintf("会场%d", i), seedNow, seedNow).Scan(&id)
		if err != nil {
			b.Fatal(err)
		}
		cps = append(cps, id)
	}
	var atts []int64
	for i := 0; i < 5000 && scans > 0; i++ {
		var id int64
		err := tx.QueryRow(`INSERT INTO attendees (edition_id, name, organisation, category, delegation_id, code, created_at, updated_at)
			VALUES (?, ?, ?, 'enterprise', ?, ?, ?, ?) RETURNING id`, ed, fmt.Sprintf("参会者%d", i), fmt.Sprintf("企业%d", i%300), f.mianyang, fmt.Sprintf("B%d", i), seedNow, seedNow).Scan(&id)
		if err != nil {
			b.Fatal(err)
		}
		atts = append(atts, id)
	}
	ins, err := tx.Prepare(`INSERT INTO scans (scan_id, checkpoint_id, edition_id, attendee_id, code, verdict, reason, device, server_at, scanned_at, day)
		VALUES (?, ?, ?, ?, 'X', ?, '', 'phone', ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	verdicts := []string{"accepted", "accepted", "accepted", "duplicate"}
	for i := 0; i < scans; i++ {
		at := seedNow.Add(time.Duration(i) * 500 * time.Millisecond)
		if _, err := ins.Exec(fmt.Sprintf("b%d", i), cps[i%len(cps)], ed, atts[i%len(atts)], verdicts[i%4], at, at, at.In(china).Format("2006-01-02")); err != nil {
			b.Fatal(err)
		}
	}
	pins, err := tx.Prepare(`INSERT INTO projects (edition_id, delegation_id, kind, title, industry, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	kinds, inds := []string{"achievement", "demand", "capability"}, []string{"电子信息", "先进材料", "装备制造", "生命健康"}
	for i := 0; i < projects; i++ {
		del := f.mianyang
		if i%3 == 0 {
			del = f.chengdu
		}
		if _, err := pins.Exec(ed, del, kinds[i%3], fmt.Sprintf("项目%d", i), inds[i%4], seedNow, seedNow); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return f
}

// peak samples the heap while fn runs and returns the highest HeapInuse
// and Sys seen, in MB.
func peak(fn func()) (heapMB, sysMB float64) {
	var mu sync.Mutex
	var maxHeap, maxSys uint64
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		maxHeap, maxSys = max(maxHeap, m.HeapInuse), max(maxSys, m.Sys)
		mu.Unlock()
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	sample()
	return float64(maxHeap) / (1 << 20), float64(maxSys) / (1 << 20)
}

// BenchmarkCheckinsWorkbook writes the checkins workbook of 100,000 scans
// (query, labels, styles, cover, filter) and reports its peak memory.
func BenchmarkCheckinsWorkbook(b *testing.B) {
	f := bulk(b, 100_000, 0)
	req := Request{Name: "checkins", EditionID: f.editions[2], Lang: "zh-CN"}
	runtime.GC()
	b.ResetTimer()
	var heap, sys float64
	for i := 0; i < b.N; i++ {
		h, s := peak(func() {
			if err := f.r.Write(context.Background(), io.Discard, req); err != nil {
				b.Fatal(err)
			}
		})
		heap, sys = max(heap, h), max(sys, s)
	}
	b.ReportMetric(heap, "peak-heap-MB")
	b.ReportMetric(sys, "peak-sys-MB")
}

// BenchmarkCheckinsBareStream writes the same cells, read from the
// database beforehand, with a bare excelize StreamWriter: the yardstick
// for the workbook above.
func BenchmarkCheckinsBareStream(b *testing.B) {
	f := bulk(b, 100_000, 0)
	cells := sameCells(b, f)
	runtime.GC()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x := excelize.NewFile()
		sw, err := x.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		// A date style on the time column, as the workbook has: without
		// one excelize makes a style per time cell, which is far slower.
		fm := numFmts[datetime]
		style, err := x.NewStyle(&excelize.Style{CustomNumFmt: &fm})
		if err == nil {
			err = sw.SetColStyle(2, 2, style)
		}
		if err != nil {
			b.Fatal(err)
		}
		for r, row := range cells {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := sw.SetRow(cell, row); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		if _, err := x.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		x.Close()
	}
}

// sameCells reads the checkins sheet's cells (header and rows) into memory.
func sameCells(b *testing.B, f *fixture) [][]any {
	b.Helper()
	l := f.r.catalog.For("zh-CN")
	head := make([]any, len(checkinColumns))
	for i, c := range checkinColumns {
		head[i] = l.T(c.key, nil)
	}
	out := [][]any{head}
	rows, err := f.d.R.Query(checkinsSQL, f.editions[2], 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at time.Time
		var day, cp, kind, name, org, cat, del, verdict, reason, device string
		if err := rows.Scan(&id, &at, &day, &cp, &kind, &name, &org, &cat, &del, &verdict, &reason, &device); err != nil {
			b.Fatal(err)
		}
		out = append(out, []any{id, wall(at), day, cp, l.Label("reports.checkpoint", kind), name, org,
			l.Label("reports.category", cat), del, l.Label("reports.verdict", verdict), reason, device})
	}
	return out
}

// BenchmarkSummary100kProjects writes the summary of an edition with
// 100,000 projects (and the earlier editions beside it).
func BenchmarkSummary100kProjects(b *testing.B) {
	f := bulk(b, 0, 100_000)
	req := Request{Name: "summary", EditionID: f.editions[2], Lang: "zh-CN"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := f.r.Write(context.Background(), io.Discard, req); err != nil {
			b.Fatal(err)
		}
	}
}
