package auth

import (
	_ "embed"
	"strings"
	"unicode/utf8"

	"huizhan/internal/apperr"
)

// MinPassword is the shortest password accepted.
const MinPassword = 10

// maxPassword is bcrypt's limit in bytes.
const maxPassword = 72

//go:embed common-passwords.txt
var commonPasswordFile string

// commonPasswords is the embedded list, lower-cased; it is read once and
// never written, so sharing it is safe.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// checkPassword holds a new password to the rule: 10 to 72 characters,
// not the username (bare or between digits and marks), not one of the most common passwords, and not one
// character repeated or a plain run such as 1234567890 or abcdefghij.
func checkPassword(username, pw string) *apperr.Error {
	if utf8.RuneCountInString(pw) < MinPassword || len(pw) > maxPassword {
		return apperr.Field("password", "user.password_length", map[string]any{"Min": MinPassword, "Max": maxPassword})
	}
	lower := strings.ToLower(pw)
	// The username itself, or with digits and marks around it (organiser2024!).
	const marks = "0123456789!@#$%._-"
	if u := strings.Trim(strings.ToLower(strings.TrimSpace(username)), marks); u != "" && strings.Trim(lower, marks) == u {
		return apperr.Field("password", "user.password_username", nil)
	}
	if commonPasswords[lower] || isRun(lower) {
		return apperr.Field("password", "user.password_common", nil)
	}
	return nil
}

// isRun reports whether s is one character repeated or a run that steps
// by the same amount each time (1234567890, 9876543210, abcdefghij).
func isRun(s string) bool {
	r := []rune(s)
	step := r[1] - r[0]
	if step < -1 || step > 1 {
		return false
	}
	for i := 2; i < len(r); i++ {
		d := r[i] - r[i-1]
		if d != step && !(r[i-1] == '9' && r[i] == '0' && step == 1) {
			return false
		}
	}
	return true
}
