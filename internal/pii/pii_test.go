package pii

import "testing"

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"13800000001":    "138****0001",
		"+8613800000001": "+86****0001",
		"028-85551234":   "028****1234",
		"1234567":        "****67",
		"12":             "****",
		"":               "",
	} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
