package checkin

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"strings"
)

// A badge code is 80 bytes, written as 128 base32 characters (A–Z, 2–7):
//
//	[0]      format version (1)
//	[1]      key id
//	[2:6]    edition ID
//	[6:10]   attendee ID
//	[10]     category
//	[11]     valid days: bit i set = valid on the edition's day i+1
//	[12:16]  nonce, so a reissued badge differs from the old one
//	[16:80]  Ed25519 signature over [0:16]
//
// 80 bytes is a multiple of 5, so every character carries five data bits
// and none is padding: changing any character changes the bytes, and the
// signature check fails.
const (
	codeVersion  = 1
	payloadLen   = 16
	codeBytes    = payloadLen + 64
	CodeLen      = codeBytes * 8 / 5 // characters in a code
	allDays      = 0xFF
	maxCodeInput = 512 // longest text accepted as a code or URL
)

var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Claims is what a badge code says: nothing personal, only IDs.
type Claims struct {
	KeyID      uint8
	EditionID  int64
	AttendeeID int64
	Category   string
	Days       uint8
	Nonce      uint32
}

var errForged = errors.New("badge code: malformed or bad signature")

func (c Claims) payload() ([]byte, error) {
	cat := categoryIndex(c.Category)
	if cat == 0 || c.EditionID <= 0 || c.EditionID > 1<<32-1 || c.AttendeeID <= 0 || c.AttendeeID > 1<<32-1 {
		return nil, errors.New("badge code: claims out of range")
	}
	p := make([]byte, payloadLen, codeBytes)
	p[0], p[1] = codeVersion, c.KeyID
	binary.BigEndian.PutUint32(p[2:], uint32(c.EditionID))
	binary.BigEndian.PutUint32(p[6:], uint32(c.AttendeeID))
	p[10], p[11] = cat, c.Days
	binary.BigEndian.PutUint32(p[12:], c.Nonce)
	return p, nil
}

// parseCode decodes a code strictly (exact length, uppercase alphabet,
// known version and category) without checking the signature; it returns
// the claims, the signed payload and the signature.
func parseCode(code string) (Claims, []byte, []byte, error) {
	if len(code) != CodeLen {
		return Claims{}, nil, nil, errForged
	}
	for i := 0; i < len(code); i++ {
		if ch := code[i]; !(ch >= 'A' && ch <= 'Z' || ch >= '2' && ch <= '7') {
			return Claims{}, nil, nil, errForged
		}
	}
	b, err := codeEncoding.DecodeString(code)
	if err != nil || len(b) != codeBytes || codeEncoding.EncodeToString(b) != code {
		return Claims{}, nil, nil, errForged
	}
	if b[0] != codeVersion {
		return Claims{}, nil, nil, errForged
	}
	c := Claims{
		KeyID:      b[1],
		EditionID:  int64(binary.BigEndian.Uint32(b[2:])),
		AttendeeID: int64(binary.BigEndian.Uint32(b[6:])),
		Category:   categoryName(b[10]),
		Days:       b[11],
		Nonce:      binary.BigEndian.Uint32(b[12:]),
	}
	if c.Category == "" || c.EditionID == 0 || c.AttendeeID == 0 {
		return Claims{}, nil, nil, errForged
	}
	return c, b[:payloadLen], b[payloadLen:], nil
}

// CodeFrom takes the code out of what a scanner read: the code itself or a
// whole badge URL ending in it, in any letter case.
func CodeFrom(input string) string {
	s := strings.TrimSpace(input)
	if len(s) > maxCodeInput {
		s = s[len(s)-maxCodeInput:]
	}
	s = strings.TrimRight(s, "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	return strings.ToUpper(s)
}

func newNonce() uint32 {
	var b [4]byte
	rand.Read(b[:])
	return binary.BigEndian.Uint32(b[:])
}
