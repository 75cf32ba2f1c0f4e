package web

import "testing"

// TestSafeNext holds ?next= to pages of this site: each way a browser can
// be talked into another site falls back.
func TestSafeNext(t *testing.T) {
	const fb = "/"
	for _, tc := range []struct{ next, want string }{
		{"/projects?page=2", "/projects?page=2"},
		{"/editions/3/agenda#day2", "/editions/3/agenda#day2"},
		{"/搜索?q=储能", "/%E6%90%9C%E7%B4%A2?q=储能"},
		{"", fb},
		{"//evil.com", fb},
		{"/\t/evil.com", fb},        // a tab, as /%09/evil.com decodes: browsers drop it
		{"/%09/evil.com", fb},       // the same, still encoded
		{"/\n/evil.com", fb},        // newline
		{"/\\evil.com", fb},         // backslash: browsers read it as a slash
		{"\\\\evil.com", fb},        // two backslashes
		{"/%5Cevil.com", fb},        // an encoded backslash
		{"/%2F%2Fevil.com", fb},     // encoded slashes
		{"/%2f/evil.com", fb},       // one encoded slash
		{"https://evil.com/", fb},   // absolute URL
		{"http:/evil.com", fb},      // scheme without slashes
		{"javascript:alert(1)", fb}, // script
		{"JavaScript:alert(1)", fb},
		{"evil.com", fb}, // relative, not a path
		{"./login", fb},  // relative
		{"/\x7f/x", fb},  // DEL
		{"/a\x00b", fb},  // NUL
	} {
		if got := SafeNext(tc.next, fb); got != tc.want {
			t.Errorf("SafeNext(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
}
