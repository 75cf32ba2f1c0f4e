// Package i18n is the message catalogue: every string a user reads goes
// through it, in Simplified Chinese first and English second.
//
// Messages live in flat JSON files named AREA.LANG.json (core.zh-CN.json,
// core.en.json, ...), so each domain adds its own file without touching
// anyone else's. go-i18n does the language matching and the {{.Name}}
// argument templates.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages are the catalogue's languages, the default first.
var Languages = []language.Tag{language.SimplifiedChinese, language.English}

// Lang codes as used in cookies and the lang switch.
const (
	Chinese = "zh-CN"
	English = "en"
)

// Catalog holds every message in every language.
type Catalog struct {
	bundle  *goi18n.Bundle
	matcher language.Matcher
	keys    map[string]map[string]bool // lang -> key set, for completeness checks
}

// Load reads every *.json file under dir in fsys.
func Load(fsys fs.FS, dir string) (*Catalog, error) {
	b := goi18n.NewBundle(language.SimplifiedChinese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{bundle: b, matcher: language.NewMatcher(Languages), keys: map[string]map[string]bool{}}
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("i18n: list %s: %w", dir, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("i18n: no message files in %s", dir)
	}
	for _, name := range names {
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: read %s: %w", name, err)
		}
		mf, err := b.ParseMessageFileBytes(buf, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: parse %s: %w", name, err)
		}
		lang := mf.Tag.String()
		if c.keys[lang] == nil {
			c.keys[lang] = map[string]bool{}
		}
		for _, m := range mf.Messages {
			if c.keys[lang][m.ID] {
				return nil, fmt.Errorf("i18n: %s: key %q defined twice for %s", name, m.ID, lang)
			}
			c.keys[lang][m.ID] = true
		}
	}
	return c, nil
}

// Keys returns the set of keys defined for lang ("zh-CN" or "en").
func (c *Catalog) Keys(lang string) map[string]bool { return c.keys[lang] }

// Match picks the catalogue language for a cookie value (preferred when
// set) and an Accept-Language header.
func (c *Catalog) Match(cookie, acceptLanguage string) string {
	if cookie == Chinese || cookie == English {
		return cookie
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Chinese
	}
	_, idx, _ := c.matcher.Match(tags...)
	if idx == 1 {
		return English
	}
	return Chinese
}

// Localizer translates for one language.
type Localizer struct {
	Lang string
	l    *goi18n.Localizer
}

// For returns the localizer for lang.
func (c *Catalog) For(lang string) *Localizer {
	return &Localizer{Lang: lang, l: goi18n.NewLocalizer(c.bundle, lang, Chinese)}
}

// T returns the message for key with args. A missing key shows as the key
// itself, so a gap is visible on the page rather than an empty string; the
// catalogue test keeps such gaps out of the build.
func (l *Localizer) T(key string, args map[string]any) string {
	s, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: args})
	if err != nil || s == "" {
		return key
	}
	return s
}

// Label translates a key and falls back to fallback when the key is missing;
// used for values (roles, kinds) that are shown through "prefix.value" keys.
func (l *Localizer) Label(prefix, value string) string {
	key := prefix + "." + value
	s := l.T(key, nil)
	if s == key {
		return value
	}
	return s
}

// IsEnglish reports whether the localizer speaks English.
func (l *Localizer) IsEnglish() bool { return strings.HasPrefix(l.Lang, "en") }
