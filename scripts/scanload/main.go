// Command scanload measures the scan endpoint under load against a
// do-nothing gin handler in the same run, on loopback:
//
//	go run -tags sqlite_fts5 ./scripts/scanload [-c 64] [-d 10s] [-client auto|wrk|go]
//
// It runs three servers in this process, one after another, under the same
// load: a bare gin engine whose handler only answers 200; the bare
// prototype of a scan (bind JSON, check a MAC, insert into a three-column
// table through one writer goroutine that batches concurrent inserts into
// one synchronous=FULL transaction), a yardstick of what this machine
// allows; and the real router pieces a scan passes through (middleware,
// bearer sign-in, the check-in handlers and store, the group-committing
// scan writer on SQLite in a temporary directory) with the demo's
// attendees and checkpoints. Each client sends scans of random attendees
// (each scanned many times: mostly duplicates at a once-a-day gate) with
// fresh scan_ids, one request at a time over a kept-alive connection.
//
// The load comes from wrk (https://github.com/wg/wrk) when it is on PATH,
// as the figures did, else from Go's HTTP client in this process,
// which takes a larger share of the CPU. With wrk, the CPU time of this
// process during the scan run is the servers' alone, and is reported per
// scan.
//
// With -db postgres://... the servers use PostgreSQL instead (an empty
// database: the run works in a schema of its own), and -instances 2 starts
// two app instances on it, each with its own connections and scan writer,
// the clients split between them (Go's client only):
//
//	go run -tags sqlite_fts5 ./scripts/scanload -db postgres://localhost/huizhan -instances 2
//
// To load a running server instead, give -url, -token (a staff or
// organiser bearer token), -checkpoint (an ID) and -codes (a file with one
// badge code per line); the baseline and the prototype then still run in
// this process.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/booths"
	"huizhan/checkin"
	"huizhan/conference"
	"huizhan/internal/auth"
	"huizhan/internal/civil"
	"huizhan/internal/db"
	"huizhan/internal/i18n"
	"huizhan/internal/web"
	"huizhan/templates"
)

func main() {
	var o options
	flag.IntVar(&o.clients, "c", 64, "concurrent clients")
	flag.DurationVar(&o.dur, "d", 10*time.Second, "duration of each run")
	flag.StringVar(&o.url, "url", "", "base URL of a running server (default: start one in this process)")
	flag.StringVar(&o.token, "token", "", "bearer token for -url")
	flag.Int64Var(&o.point, "checkpoint", 0, "checkpoint ID for -url")
	flag.StringVar(&o.codesFile, "codes", "", "file of badge codes, one a line, for -url")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the scan run to this file (with -client wrk, of the servers alone)")
	flag.StringVar(&o.dsn, "db", "", "database of the in-process servers: a SQLite file (default: a temporary one) or an empty postgres:// database")
	flag.IntVar(&o.instances, "instances", 1, "app instances on that database, each with its own scan writer; clients spread over them")
	flag.StringVar(&o.client, "client", "auto", "load generator: wrk (on PATH), go (Go's HTTP client in this process), or auto: wrk if found")
	flag.BoolVar(&o.prototype, "prototype", true, "also run the issue's bare prototype scan as a yardstick")
	flag.Parse()
	if err := o.resolveClient(); err != nil {
		fmt.Fprintln(os.Stderr, "scanload:", err)
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "scanload:", err)
		os.Exit(1)
	}
}

type options struct {
	clients, instances                          int
	dur                                         time.Duration
	url, token, codesFile, cpuProfile, dsn, wrk string
	point                                       int64
	client                                      string
	prototype                                   bool
}

// resolveClient settles which load generator runs: the figures
// were taken with wrk, which leaves more of the CPU to the servers than
// Go's client in the same process does.
func (o *options) resolveClient() error {
	switch o.client {
	case "go":
		return nil
	case "wrk", "auto":
		path, err := exec.LookPath("wrk")
		if err != nil {
			if o.client == "wrk" {
				return fmt.Errorf("-client wrk: %w", err)
			}
			o.client = "go"
			return nil
		}
		if o.instances != 1 {
			if o.client == "wrk" {
				return fmt.Errorf("-client wrk loads one instance; use -client go with -instances")
			}
			o.client = "go"
			return nil
		}
		o.client, o.wrk = "wrk", path
		return nil
	}
	return fmt.Errorf("-client %q: want wrk, go or auto", o.client)
}

// drive loads urls (the clients spread over them) with scans of random
// codes, with the chosen generator.
func (o options) drive(urls []string, token string, codes []string) (result, error) {
	if o.wrk != "" {
		return wrkRun(o.wrk, o.clients, o.dur, urls[0], token, codes)
	}
	return load(o.clients, o.dur, func(w, i int) *http.Request {
		// Each client keeps to one instance, as a proxy's sticky
		// connection would.
		return post(urls[w%len(urls)], token, codes[rand.IntN(len(codes))], uuidV7())
	}), nil
}

func run(o options) error {
	gin.SetMode(gin.ReleaseMode)
	base, stopBase, err := serve(baseline())
	if err != nil {
		return err
	}
	defer stopBase()
	dir, err := os.MkdirTemp("", "scanload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var codes []string
	urls, token, point := []string{o.url}, o.token, o.point
	if o.url == "" {
		dsn := o.dsn
		if dsn == "" {
			dsn = filepath.Join(dir, "load.db")
		}
		var stop func()
		urls, token, point, codes, stop, err = startServers(dsn, o.instances)
		if err != nil {
			return err
		}
		defer stop()
	} else if codes, err = readLines(o.codesFile); err != nil {
		return err
	}
	if len(codes) == 0 {
		return fmt.Errorf("no badge codes")
	}
	fmt.Printf("%d clients, %s per run, %d distinct badges, %d instance(s), GOMAXPROCS %d, load from %s\n",
		o.clients, o.dur, len(codes), len(urls), maxProcs(), o.client)

	// Every run posts a scan's body; the baseline ignores it.
	b, err := o.drive([]string{base + "/noop"}, "", codes)
	if err != nil {
		return err
	}
	report("do-nothing gin handler", b)

	var p result
	if o.prototype {
		if p, err = o.runPrototype(dir, len(codes)); err != nil {
			return err
		}
		report("bare prototype scan", p)
	}

	scanURLs := make([]string, len(urls))
	for i, u := range urls {
		scanURLs[i] = fmt.Sprintf("%s/api/v1/checkpoints/%d/scans", strings.TrimRight(u, "/"), point)
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	cpu0 := processCPU()
	s, err := o.drive(scanURLs, token, codes)
	if o.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	report("scan endpoint", s)
	if o.wrk != "" && o.url == "" && s.n > 0 {
		// Only the servers run in this process: its CPU time is theirs.
		fmt.Printf("server CPU per scan: %s\n", ((processCPU() - cpu0) / time.Duration(s.n)).Round(time.Microsecond/10))
	}
	if o.prototype {
		fmt.Printf("prototype rate / baseline rate: %.0f%%\n", 100*p.rate()/b.rate())
	}
	fmt.Printf("scan rate / baseline rate: %.0f%%\n", 100*s.rate()/b.rate())
	return nil
}

// runPrototype loads the bare prototype with as many distinct codes as
// the real run has badges.
func (o options) runPrototype(dir string, n int) (result, error) {
	p, err := startPrototype(dir)
	if err != nil {
		return result{}, err
	}
	defer p.stop()
	url, stop, err := serve(p.handler())
	if err != nil {
		return result{}, err
	}
	defer stop()
	codes := make([]string, n)
	for i := range codes {
		codes[i] = protoCode(i)
	}
	return o.drive([]string{url + "/scan"}, "", codes)
}

// uuidV7 is a scan_id as stations make them: a version 7 UUID, the time
// in milliseconds and then random bits.
func uuidV7() string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	for i := 6; i < 16; i++ {
		b[i] = byte(rand.Uint32())
	}
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func maxProcs() int { return runtime.GOMAXPROCS(0) }

func baseline() http.Handler {
	r := gin.New()
	r.POST("/noop", func(c *gin.Context) { c.Status(http.StatusOK) })
	return r
}

func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// startServers builds the scan path of the real application over a fresh
// database with the demo's third edition in it: n instances, each with its
// own connections, store and scan writer, sharing the badge key as
// instances behind one proxy share the key file. dsn is a SQLite file or a
// postgres:// URL (an empty database: the run adds its own schema and
// drops it afterwards).
func startServers(dsn string, n int) (urls []string, token string, point int64, codes []string, stop func(), err error) {
	ctx := context.Background()
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	defer func() {
		if err != nil {
			stop()
		}
	}()
	if db.IsPostgresURL(dsn) {
		var drop func()
		if dsn, drop, err = db.ScratchSchema(ctx, dsn, "scanload"); err != nil {
			return
		}
		stops = append(stops, drop)
	}
	// Formatted and dropped: the cost of the request log without a terminal.
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	keys := checkin.NewMemoryKeyring()
	site, err := newSite(log)
	if err != nil {
		return
	}
	for i := range n {
		var d *db.DB
		if d, err = db.Open(dsn, db.Options{}); err != nil {
			return
		}
		stops = append(stops, func() { d.Close() })
		if err = d.Migrate(ctx, conference.Migrations(), auth.Migrations(), booths.Migrations(), checkin.Migrations()); err != nil {
			return
		}
		conf := conference.NewStore(d, checkin.Copier{})
		store := checkin.NewStore(d, keys, conf, log)
		stops = append(stops, store.Close)
		authStore := auth.NewStore(d, auth.Options{})
		if i == 0 {
			if point, codes, token, err = seed(ctx, conf, store, authStore); err != nil {
				return
			}
		}
		r := gin.New()
		r.Use(site.Middleware()...)
		r.Use(auth.NewHandlers(site, authStore, nil).Identify)
		checkin.NewHandlers(site, store).Register(r)
		var url string
		var stopHTTP func()
		if url, stopHTTP, err = serve(site.CrossOrigin(r)); err != nil {
			return
		}
		stops = append(stops, stopHTTP)
		urls = append(urls, url)
	}
	return urls, token, point, codes, stop, nil
}

// seed makes the edition, its demo attendees and checkpoints, and a gate
// account, and returns the gate checkpoint, the badge codes and a token.
func seed(ctx context.Context, conf *conference.Store, store *checkin.Store, authStore *auth.Store) (point int64, codes []string, token string, err error) {
	// The edition runs today and tomorrow (Beijing): badges are checked
	// against their valid days, so the scans must fall within them.
	y, m, dd := time.Now().In(time.FixedZone("CST", 8*3600)).Date()
	today := civil.NewDate(y, m, dd)
	e, err := conf.CreateEdition(ctx, conference.EditionInput{Number: 3, Name: "第三届天府科技云服务大会", Year: y,
		StartsOn: today, EndsOn: today.AddDays(1), City: "成都"})
	if err != nil {
		return
	}
	if err = store.SeedDemo(ctx, conference.Demo{Editions: []conference.Edition{e}}); err != nil {
		return
	}
	points, err := store.Checkpoints(ctx, e.ID)
	if err != nil {
		return
	}
	point = points[0].ID // a gate, once a day: mostly duplicates, every scan stored
	as, _, err := store.Attendees(ctx, e.ID, checkin.AttendeeFilter{}, web.Paging{Page: 1, PerPage: 5000})
	if err != nil {
		return
	}
	for _, a := range as {
		codes = append(codes, a.Code)
	}
	u, err := authStore.CreateUser(ctx, auth.NewUser{Username: "gate", Password: "load-test-password", Role: web.RoleStaff})
	if err != nil {
		return
	}
	token, err = authStore.NewSession(ctx, u, auth.KindBearer, "127.0.0.1", "scanload")
	return
}

func newSite(log *slog.Logger) (*web.Site, error) {
	catalog, err := i18n.Load(templates.FS, "locales")
	if err != nil {
		return nil, err
	}
	renderer, err := templates.NewRenderer()
	if err != nil {
		return nil, err
	}
	return &web.Site{Catalog: catalog, Renderer: renderer, Log: log, BaseURL: "http://localhost"}, nil
}

func post(url, token, code, scanID string) *http.Request {
	body := fmt.Sprintf(`{"code":%q,"scan_id":%q}`, code, scanID)
	req, _ := http.NewRequest("POST", url, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

type result struct {
	// failed counts requests without an answer, and answers other than
	// 2xx and 422 (a rejected scan is a 422, and a fine answer).
	n, failed int
	// non2xx is wrk's count of answers that were not 2xx, 422 included:
	// wrk does not tell them apart.
	non2xx  int
	elapsed time.Duration
	lat     []time.Duration
	wrk     map[string]time.Duration // percentiles wrk reported, in place of lat
}

func (r result) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

// load runs clients loops of requests for dur and collects latencies.
func load(clients int, dur time.Duration, next func(worker, i int) *http.Request) result {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, DisableCompression: true}
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	var mu sync.Mutex
	var all result
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(dur)
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			failed := 0
			for i := 0; time.Now().Before(deadline); i++ {
				t0 := time.Now()
				res, err := client.Do(next(w, i))
				if err != nil {
					failed++
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode >= 300 && res.StatusCode != 422 {
					failed++
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all.lat = append(all.lat, lat...)
			all.failed += failed
			mu.Unlock()
		}()
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	all.n = len(all.lat)
	return all
}

func report(name string, r result) {
	slices.Sort(r.lat)
	pct := func(p float64) time.Duration {
		if r.wrk != nil {
			return r.wrk[fmt.Sprintf("p%.0f", p*100)]
		}
		if len(r.lat) == 0 {
			return 0
		}
		return r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))]
	}
	fmt.Printf("%-24s %8.0f req/s  p50 %-10s p99 %-10s max %-10s errors %d", name, r.rate(),
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond), r.failed)
	if r.non2xx > 0 {
		fmt.Printf("  non-2xx %d (rejected scans among them: 422)", r.non2xx)
	}
	fmt.Println()
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}
