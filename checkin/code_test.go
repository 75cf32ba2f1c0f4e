package checkin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCodeRoundTrip(t *testing.T) {
	k := NewMemoryKeyring()
	c := Claims{EditionID: 3, AttendeeID: 4_000_000_000, Category: "media", Days: 3, Nonce: 42}
	code, err := k.Sign(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != CodeLen || strings.ToUpper(code) != code {
		t.Fatalf("code %q: want %d uppercase characters", code, CodeLen)
	}
	got, err := k.Verify(code)
	c.KeyID = 1
	if err != nil || got != c {
		t.Fatalf("verify: %+v, %v; want %+v", got, err, c)
	}
}

// TestEveryCharacterChangeIsForged changes each position of a code to
// every other character of the alphabet: none may verify.
func TestEveryCharacterChangeIsForged(t *testing.T) {
	k := NewMemoryKeyring()
	code, err := k.Sign(Claims{EditionID: 1, AttendeeID: 7, Category: "guest", Days: 1, Nonce: 9})
	if err != nil {
		t.Fatal(err)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	for i := range code {
		for _, ch := range alphabet {
			if byte(ch) == code[i] {
				continue
			}
			bad := code[:i] + string(ch) + code[i+1:]
			if _, err := k.Verify(bad); err == nil {
				t.Fatalf("code with position %d changed to %c verifies", i, ch)
			}
		}
	}
	for _, bad := range []string{code[:len(code)-1], code + "A", strings.ToLower(code), ""} {
		if _, err := k.Verify(bad); err == nil {
			t.Errorf("%q verifies", bad)
		}
	}
}

func TestCodeFrom(t *testing.T) {
	for in, want := range map[string]string{
		"ABC":                        "ABC",
		" abc \n":                    "ABC",
		"https://hz.example/b/abc2":  "ABC2",
		"HTTPS://HZ.EXAMPLE/B/ABC2/": "ABC2",
		"":                           "",
	} {
		if got := CodeFrom(in); got != want {
			t.Errorf("CodeFrom(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeyringFileAndRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	k, err := LoadKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	old, _ := k.Sign(Claims{EditionID: 1, AttendeeID: 1, Category: "guest", Days: 1})
	if err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	fresh, _ := k.Sign(Claims{EditionID: 1, AttendeeID: 2, Category: "guest", Days: 1})
	again, err := LoadKeyring(path) // as after a restart
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{old, fresh} {
		if _, err := again.Verify(code); err != nil {
			t.Errorf("after rotation and reload, a code does not verify: %v", err)
		}
	}
	if c, _ := again.Verify(fresh); c.KeyID != 2 {
		t.Errorf("new code signed with key %d, want 2", c.KeyID)
	}
	b, _ := os.ReadFile(path)
	if strings.Count(string(b), `"seed"`) != 1 {
		t.Errorf("the key file keeps %d private keys, want only the active one", strings.Count(string(b), `"seed"`))
	}
	if _, err := NewMemoryKeyring().Verify(old); err == nil {
		t.Error("another keyring verifies the code")
	}
}

func FuzzParseCode(f *testing.F) {
	k := NewMemoryKeyring()
	code, _ := k.Sign(Claims{EditionID: 1, AttendeeID: 2, Category: "expert", Days: 3, Nonce: 5})
	f.Add(code)
	f.Add("https://x/b/" + strings.ToLower(code))
	f.Add("")
	f.Add(strings.Repeat("A", CodeLen))
	f.Fuzz(func(t *testing.T, s string) {
		c := CodeFrom(s)
		claims, err := k.Verify(c)
		if err != nil {
			return
		}
		// Only the signed code (in any case, bare or in a URL) may pass,
		// and it must say what was signed.
		if c != code || claims.AttendeeID != 2 || claims.Category != "expert" {
			t.Fatalf("%q verified as %+v", s, claims)
		}
	})
}
