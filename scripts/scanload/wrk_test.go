package main

import (
	"strings"
	"testing"
	"time"
)

// A report as wrk 4.2 prints it with --latency, with errors added.
const wrkReport = `Running 2s test @ http://127.0.0.1:18080/noop
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.63ms    1.86ms  20.16ms   85.70%
    Req/Sec    25.50k     6.28k   52.35k    82.93%
  Latency Distribution
     50%    0.95ms
     75%    2.32ms
     90%    4.10ms
     99%    8.26ms
  104228 requests in 2.10s, 7.45MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  49624.61
Transfer/sec:      3.55MB
`

func TestParseWrk(t *testing.T) {
	r, err := parseWrk(wrkReport)
	if err != nil {
		t.Fatal(err)
	}
	if r.n != 104228 || r.elapsed != 2100*time.Millisecond {
		t.Errorf("n %d in %s, want 104228 in 2.1s", r.n, r.elapsed)
	}
	want := map[string]time.Duration{"p50": 950 * time.Microsecond, "p99": 8260 * time.Microsecond, "p100": 20160 * time.Microsecond}
	for k, v := range want {
		if r.wrk[k] != v {
			t.Errorf("%s = %s, want %s", k, r.wrk[k], v)
		}
	}
	if r.failed != 3 || r.non2xx != 4 {
		t.Errorf("failed %d and non-2xx %d, want 3 socket errors and 4 non-2xx", r.failed, r.non2xx)
	}
	if _, err := parseWrk("wrk: command not understood"); err == nil {
		t.Error("parsed a report without figures")
	}
}

func TestWrkScriptNumbersScans(t *testing.T) {
	s := wrkScript("TOKEN", []string{"CODE1", "CODE2"})
	for _, want := range []string{`"Bearer TOKEN"`, `"CODE1",`, `"CODE2",`, `thread:set("tid"`, `scan_id`} {
		if !strings.Contains(s, want) {
			t.Errorf("script lacks %s:\n%s", want, s)
		}
	}
}

func TestPrototypeCodes(t *testing.T) {
	c := protoCode(7)
	if !protoValid(c) {
		t.Fatalf("own code %s refused", c)
	}
	if protoValid(c[:len(c)-1]+"X") || protoValid("P000007") {
		t.Error("forged code accepted")
	}
}
