package outbox

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// BenchmarkDeliver10000 delivers 10,000 queued e-mails to a local SMTP
// server (go-smtp, in this process) and reports messages a second and the
// sender's memory: the peak heap while sending and the bytes allocated
// per message. Run with -benchtime=1x.
func BenchmarkDeliver10000(b *testing.B) {
	const n = 10_000
	for range b.N {
		b.StopTimer()
		o, _ := newOutbox(b)
		o.now = time.Now
		ms := startMailServer(b, func(ms *mailServer, _ *smtp.Server) { ms.discard = true })
		msgs := make([]Message, n)
		for i := range msgs {
			msgs[i] = mailTo(fmt.Sprintf("bench-%d", i), fmt.Sprintf("p%d@hz.example", i), "zh-CN")
		}
		enqueue(b, o, msgs...)
		msgs = nil
		s := smtpSender(b, o, ms, SenderOptions{Now: time.Now})
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		var peak atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
		b.StartTimer()
		start := time.Now()
		sent := drain(b, s)
		elapsed := time.Since(start)
		b.StopTimer()
		close(stop)
		wg.Wait()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if sent != n || ms.Tries() != n {
			b.Fatalf("sent %d, received %d; want %d", sent, ms.Tries(), n)
		}
		b.ReportMetric(float64(n)/elapsed.Seconds(), "msgs/s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "alloc-B/msg")
	}
}
