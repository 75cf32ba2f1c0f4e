package checkin

import (
	"fmt"
	"sync/atomic"
	"testing"
)

// BenchmarkBadgePNG renders badge QR images of distinct codes on every CPU
// (the cache is bypassed: this is the cost of a first request).
func BenchmarkBadgePNG(b *testing.B) {
	k := NewMemoryKeyring()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			code, _ := k.Sign(Claims{EditionID: 1, AttendeeID: i, Category: "guest", Days: 3})
			if _, err := renderQR("https://huizhan.example/b/" + code); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScan is the store's scan path with many concurrent scanners:
// known codes (cache), group-committed durable inserts.
func BenchmarkScan(b *testing.B) {
	f := newFixture(&testing.T{})
	defer f.store.Close()
	cp, _ := f.store.CreateCheckpoint(f.ctx, f.e1.ID, CheckpointInput{Name: "门", Kind: "gate"})
	var codes []string
	for i := range 200 {
		a, _ := f.store.CreateAttendee(f.ctx, f.e1.ID, AttendeeInput{Name: fmt.Sprint("人", i), Category: "guest"}, "organiser")
		codes = append(codes, a.Code)
	}
	var n atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			_, err := f.store.Scan(f.ctx, cp.ID, Scanner{Organiser: true}, ScanInput{Code: codes[i%200], ScanID: fmt.Sprint("b", i)})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}
