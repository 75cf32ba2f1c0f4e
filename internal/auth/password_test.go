package auth

import "testing"

func TestPasswordRule(t *testing.T) {
	for _, tc := range []struct {
		user, pw string
		want     string // the refusal's detail key, "" when accepted
	}{
		{"zhangsan", "绵阳科技城2024春", ""},
		{"zhangsan", "correct-horse-battery", ""},
		{"zhangsan", "short-pw1", "user.password_length"}, // 9
		{"zhangsan", string(make([]byte, 73)), "user.password_length"},
		{"organiser", "organiser", "user.password_length"},
		{"organiser1", "Organiser1", "user.password_username"},
		{"organiser", "organiser2024!", "user.password_username"},
		{"mianyang", "2024mianyang", "user.password_username"},
		{"zhangsan", "qwertyuiop", "user.password_common"},
		{"zhangsan", "Password123", "user.password_common"},
		{"zhangsan", "woaini1314", "user.password_common"},
		{"zhangsan", "1234567890", "user.password_common"},
		{"zhangsan", "9876543210", "user.password_common"},
		{"zhangsan", "aaaaaaaaaaaa", "user.password_common"},
		{"zhangsan", "abcdefghijkl", "user.password_common"},
		{"zhangsan", "6789012345", "user.password_common"},
	} {
		err := checkPassword(tc.user, tc.pw)
		got := ""
		if err != nil {
			got = err.Details[0].Key
		}
		if got != tc.want {
			t.Errorf("checkPassword(%q, %q) = %q, want %q", tc.user, tc.pw, got, tc.want)
		}
	}
	if len(commonPasswords) < 50 {
		t.Errorf("the embedded list has %d passwords", len(commonPasswords))
	}
}
