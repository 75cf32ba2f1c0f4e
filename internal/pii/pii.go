// Package pii holds the small rules for personal information that every
// domain package applies the same way (个人信息保护法): how a phone number
// looks to someone who may know that a person has one but not what it is.
package pii

// MaskPhone shows the first three and the last four characters of a phone
// number and stars in between, as Chinese services do: 13800000001 becomes
// 138****0001. A number too short for that keeps only its last two
// characters; an empty one stays empty.
func MaskPhone(p string) string {
	r := []rune(p)
	switch n := len(r); {
	case n == 0:
		return ""
	case n >= 8:
		return string(r[:3]) + "****" + string(r[n-4:])
	case n > 2:
		return "****" + string(r[n-2:])
	default:
		return "****"
	}
}
