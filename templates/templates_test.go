package templates

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"huizhan/internal/i18n"
)

func TestEveryPageParses(t *testing.T) {
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Pages()) == 0 {
		t.Fatal("no pages")
	}
}

// TestCatalogComplete checks that both languages have every key, and that
// every key the code and templates use exists.
func TestCatalogComplete(t *testing.T) {
	c, err := i18n.Load(FS, "locales")
	if err != nil {
		t.Fatal(err)
	}
	zh, en := c.Keys(i18n.Chinese), c.Keys(i18n.English)
	for k := range zh {
		if !en[k] {
			t.Errorf("key %q has no English", k)
		}
	}
	for k := range en {
		if !zh[k] {
			t.Errorf("key %q has no Chinese", k)
		}
	}
	for _, u := range usedKeys(t, zh) {
		if !zh[u.key] {
			t.Errorf("%s uses key %q, which the catalogue lacks", u.where, u.key)
		}
	}
}

type use struct{ key, where string }

var (
	// .T "key" and .Label "prefix" in templates.
	templateKey = regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	// Field: "name" in Go: shown through the key field.name.
	fieldName = regexp.MustCompile(`Field: "([a-z0-9_]+)"`)
	goString  = regexp.MustCompile(`"([a-z0-9_]+\.[a-z0-9_.]+)"`)
)

// usedKeys finds the keys used in templates and Go code: string literals
// shaped like a key whose first part is one of the catalogue's prefixes.
func usedKeys(t *testing.T, known map[string]bool) []use {
	prefixes := map[string]bool{}
	for k := range known {
		prefixes[strings.SplitN(k, ".", 2)[0]] = true
	}
	var uses []use
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		ext := filepath.Ext(path)
		if d.IsDir() || (ext != ".go" && ext != ".html") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		src := string(b)
		if ext == ".html" {
			for _, m := range templateKey.FindAllStringSubmatch(src, -1) {
				uses = append(uses, use{m[1], path})
			}
			return nil
		}
		for _, m := range fieldName.FindAllStringSubmatch(src, -1) {
			uses = append(uses, use{"field." + m[1], path})
		}
		for _, m := range goString.FindAllStringSubmatch(src, -1) {
			if prefixes[strings.SplitN(m[1], ".", 2)[0]] {
				uses = append(uses, use{m[1], path})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(uses, func(i, j int) bool { return uses[i].key < uses[j].key })
	if len(uses) < 50 {
		t.Fatalf("found only %d key uses; the scan is broken", len(uses))
	}
	return uses
}
