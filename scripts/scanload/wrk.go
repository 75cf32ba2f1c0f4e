package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkRun drives one run with wrk (https://github.com/wg/wrk) instead of
// the in-process Go client: wrk is how the figures were taken, and
// it leaves more of the two cores to the servers than Go's HTTP client
// does. It runs for whole seconds, at least one. Each request posts a scan
// of a random code with a scan_id unique across wrk's threads (or, with no
// codes, an empty body).
func wrkRun(bin string, clients int, dur time.Duration, url, token string, codes []string) (result, error) {
	dir, err := os.MkdirTemp("", "scanload-wrk-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "scan.lua")
	if err := os.WriteFile(script, []byte(wrkScript(token, codes)), 0o600); err != nil {
		return result{}, err
	}
	threads := min(2, clients)
	cmd := exec.Command(bin, "-t", strconv.Itoa(threads), "-c", strconv.Itoa(clients),
		"-d", fmt.Sprintf("%ds", max(1, int(dur.Seconds()))), "--latency", "-s", script, url)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("wrk: %w\n%s", err, out.String())
	}
	return parseWrk(out.String())
}

func wrkScript(token string, codes []string) string {
	var b strings.Builder
	b.WriteString("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n")
	if token != "" {
		fmt.Fprintf(&b, "wrk.headers[\"Authorization\"] = \"Bearer %s\"\n", token)
	}
	if len(codes) == 0 {
		return b.String()
	}
	b.WriteString("local codes = {\n")
	for _, c := range codes {
		fmt.Fprintf(&b, "%q,\n", c)
	}
	// Threads are numbered in setup; each numbers its scans, so scan_ids
	// never repeat (a repeated one is a replay, answered from the table).
	b.WriteString(`}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
local run = os.time()
function init(args)
  math.randomseed(run * 100 + tid)
end
function request()
  n = n + 1
  local body = string.format('{"code":"%s","scan_id":"load-%d-%d-%d"}', codes[math.random(#codes)], run, tid, n)
  return wrk.format(nil, nil, nil, body)
end
`)
	return b.String()
}

var (
	wrkRate    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkTotal   = regexp.MustCompile(`(\d+) requests in ([0-9.]+)(us|ms|s|m)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)(?:\.000)?%\s+([0-9.]+)(us|ms|s)`)
	wrkMax     = regexp.MustCompile(`Latency\s+\S+\s+\S+\s+([0-9.]+)(us|ms|s|m)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkSockErr = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

// parseWrk reads wrk's report into a result; the latencies are only the
// median, the 99th percentile and the maximum wrk prints.
func parseWrk(out string) (result, error) {
	rate := wrkRate.FindStringSubmatch(out)
	total := wrkTotal.FindStringSubmatch(out)
	if rate == nil || total == nil {
		return result{}, fmt.Errorf("unexpected wrk output:\n%s", out)
	}
	var r result
	r.n, _ = strconv.Atoi(total[1])
	r.elapsed = wrkDuration(total[2], total[3])
	r.wrk = map[string]time.Duration{}
	for _, m := range wrkPct.FindAllStringSubmatch(out, -1) {
		r.wrk["p"+m[1]] = wrkDuration(m[2], m[3])
	}
	if m := wrkMax.FindStringSubmatch(out); m != nil {
		r.wrk["p100"] = wrkDuration(m[1], m[2])
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.non2xx, _ = strconv.Atoi(m[1])
	}
	if m := wrkSockErr.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.failed += n
		}
	}
	return r, nil
}

func wrkDuration(num, unit string) time.Duration {
	f, _ := strconv.ParseFloat(num, 64)
	switch unit {
	case "us":
		return time.Duration(f * float64(time.Microsecond))
	case "ms":
		return time.Duration(f * float64(time.Millisecond))
	case "m":
		return time.Duration(f * float64(time.Minute))
	}
	return time.Duration(f * float64(time.Second))
}
