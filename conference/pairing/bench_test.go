package pairing

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time this process has used: on a shared machine it
// says more about the work done than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Platform scale (DESIGN.md): 65,000 demands, 30,000 supplies.
const (
	platformDemands  = 65000
	platformSupplies = 30000
)

// BenchmarkBuildIndex measures indexing the platform-scale corpus.
func BenchmarkBuildIndex(b *testing.B) {
	docs := synthCorpus(1, platformDemands, platformSupplies)
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		BuildIndex(docs)
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkTop10AllDemands is the target: the top 10 supplies of
// every one of 65,000 demands against 30,000 supplies. It reports the heap
// in use after the run (index and results) as heap-MB.
func BenchmarkTop10AllDemands(b *testing.B) {
	docs := synthCorpus(1, platformDemands, platformSupplies)
	ix := BuildIndex(docs)
	docs = nil
	b.ResetTimer()
	var res [][]Hit
	cpu := cpuTime()
	for b.Loop() {
		res = ix.SearchAll(false, 10)
	}
	b.StopTimer()
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	if len(res) != platformDemands {
		b.Fatalf("%d result lists", len(res))
	}
	runtime.KeepAlive(ix)
}

// BenchmarkSuggestOne is the suggestions for one project at platform scale.
func BenchmarkSuggestOne(b *testing.B) {
	ix := BuildIndex(synthCorpus(1, platformDemands, platformSupplies))
	b.ResetTimer()
	i := int64(0)
	for b.Loop() {
		i = (i + 7919) % (platformDemands + platformSupplies)
		hits := ix.Search(i+1, 10)
		for _, h := range hits {
			_ = h.Reasons()
		}
	}
}
