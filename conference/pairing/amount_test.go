package pairing

import (
	"encoding/json"
	"math"
	"testing"
)

func TestParseWan(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Wan
		ok   bool
	}{
		{"1200", 120000, true}, {"1,200.5", 120050, true}, {"0.01", 1, true}, {"10000000", MaxWan, true},
		{"10000000.01", 0, false}, {"0", 0, false}, {"-1", 0, false}, {"1e3", 0, false}, {"NaN", 0, false},
		{"Inf", 0, false}, {"1.234", 0, false}, {"1.", 0, false}, {".5", 0, false}, {"", 0, false}, {"1e308", 0, false},
	} {
		got, err := ParseWan(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseWan(%q) = %v, %v", tc.in, got, err)
		}
	}
}

// TestWanReadsAnything: a stored value out of range is read without error,
// prints and encodes, and totals leave it out.
func TestWanReadsAnything(t *testing.T) {
	var total Total
	for _, src := range []any{1e308, math.Inf(1), math.NaN(), -1.0, 120.5, int64(3), "99.99", []byte("1e400"), "junk"} {
		var w Wan
		if err := w.Scan(src); err != nil {
			t.Fatalf("scan %v: %v", src, err)
		}
		if _, err := json.Marshal(w); err != nil {
			t.Errorf("marshal %v: %v", src, err)
		}
		_ = w.Grouped()
		total.Add(w)
	}
	if total.Sum != 22349 || total.Skipped != 6 {
		t.Errorf("total %+v, want 223.49 with 6 skipped", total)
	}
	if g := Wan(123456789).Grouped(); g != "1,234,567.89" {
		t.Errorf("grouped %q", g)
	}
}

func TestMoveKind(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{StageProposed, StageSigned, MoveForward}, {StageSigned, StageContacted, MoveBack},
		{StageSigned, StageSigned, MoveSame}, {StageMet, StageMet, MoveSame}, {StageDropped, StageDropped, MoveSame},
		{StageIntent, StageDropped, MoveDrop}, {StageDropped, StageMet, MoveReopen},
	} {
		if got := MoveKind(tc.from, tc.to); got != tc.want {
			t.Errorf("%s → %s: %s, want %s", tc.from, tc.to, got, tc.want)
		}
	}
}
