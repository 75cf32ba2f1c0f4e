package checkin

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"huizhan/internal/db"
)

// Keyring holds the badge signing keys: one active key that signs, and the
// public halves of earlier keys so that badges printed before a rotation
// still verify. It lives in a file of its own, outside the database and
// its backups, readable by the server's user only (mode 0600).
type Keyring struct {
	mu     sync.RWMutex
	path   string // "" for a keyring that lives in memory only (tests)
	active uint8
	signer ed25519.PrivateKey
	public map[uint8]ed25519.PublicKey
	born   map[uint8]time.Time // when each key was made, kept across saves
}

type keyFile struct {
	Active uint8      `json:"active"`
	Keys   []keyEntry `json:"keys"`
}

type keyEntry struct {
	ID        uint8     `json:"id"`
	Public    []byte    `json:"public"`
	Seed      []byte    `json:"seed,omitempty"` // only for the active key
	CreatedAt time.Time `json:"created_at"`
}

// NewMemoryKeyring returns a keyring with a fresh key that is never saved:
// codes it signs stop verifying when the process ends. For tests.
func NewMemoryKeyring() *Keyring {
	k := &Keyring{public: map[uint8]ed25519.PublicKey{}, born: map[uint8]time.Time{}}
	k.addKey(1)
	return k
}

// ErrKeysLost says the key file is missing although badges were issued:
// starting with a new key would make every one of them scan as forged.
var ErrKeysLost = errors.New("the badge key file is missing, but the database holds attendees whose badges it signed")

// OpenKeyring is LoadKeyring for a server: it refuses to create a new key
// file when the database already holds attendees, unless newKeys says the
// organiser means to start over (every badge issued must then be
// reissued).
func OpenKeyring(ctx context.Context, d *db.DB, path string, newKeys bool) (*Keyring, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !newKeys {
		var n int
		if err := d.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM (SELECT 1 FROM attendees LIMIT 1) a`); err != nil {
			return nil, fmt.Errorf("badge keys: count attendees: %w", err)
		}
		if n > 0 {
			return nil, fmt.Errorf("%w: %s.\nRestore it from the backup kept apart from the database (or name it with -keys),\n"+
				"or start over on purpose with -new-keys: every badge already issued then scans as forged and must be reissued", ErrKeysLost, path)
		}
	}
	return LoadKeyring(path)
}

// LoadKeyring reads the key file at path, creating it with a new key when
// it does not exist (the first start).
func LoadKeyring(path string) (*Keyring, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		k := &Keyring{path: path, public: map[uint8]ed25519.PublicKey{}, born: map[uint8]time.Time{}}
		k.addKey(1)
		if err := k.save(); err != nil {
			return nil, err
		}
		return k, nil
	}
	if err != nil {
		return nil, fmt.Errorf("badge keys: %w", err)
	}
	var f keyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("badge keys %s: %w", path, err)
	}
	k := &Keyring{path: path, active: f.Active, public: map[uint8]ed25519.PublicKey{}, born: map[uint8]time.Time{}}
	for _, e := range f.Keys {
		k.born[e.ID] = e.CreatedAt
		if len(e.Public) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("badge keys %s: key %d: bad public key", path, e.ID)
		}
		k.public[e.ID] = e.Public
		if e.ID == f.Active && len(e.Seed) == ed25519.SeedSize {
			k.signer = ed25519.NewKeyFromSeed(e.Seed)
		}
	}
	if k.signer == nil {
		return nil, fmt.Errorf("badge keys %s: no private key for active key %d", path, f.Active)
	}
	return k, nil
}

func (k *Keyring) addKey(id uint8) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	k.active, k.signer, k.public[id] = id, priv, pub
	k.born[id] = time.Now().UTC()
}

// Rotate makes a new active key; the old keys keep only their public half
// and go on verifying the badges they signed.
func (k *Keyring) Rotate() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.active == 255 {
		return errors.New("badge keys: no key ids left")
	}
	k.addKey(k.active + 1)
	return k.save()
}

// save writes the key file atomically with mode 0600; the caller holds mu
// or owns k.
func (k *Keyring) save() error {
	if k.path == "" {
		return nil
	}
	f := keyFile{Active: k.active}
	for id, pub := range k.public {
		e := keyEntry{ID: id, Public: pub, CreatedAt: k.born[id]}
		if id == k.active {
			e.Seed = k.signer.Seed()
		}
		f.Keys = append(f.Keys, e)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("badge keys: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(k.path), ".keys-*")
	if err != nil {
		return fmt.Errorf("badge keys: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("badge keys: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("badge keys: write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("badge keys: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("badge keys: %w", err)
	}
	if err := os.Rename(tmp.Name(), k.path); err != nil {
		return fmt.Errorf("badge keys: %w", err)
	}
	return nil
}

// Sign makes the badge code for c with the active key.
func (k *Keyring) Sign(c Claims) (string, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	c.KeyID = k.active
	p, err := c.payload()
	if err != nil {
		return "", err
	}
	return codeEncoding.EncodeToString(append(p, ed25519.Sign(k.signer, p)...)), nil
}

// Verify parses code strictly and checks its signature; any failure is
// errForged.
func (k *Keyring) Verify(code string) (Claims, error) {
	c, payload, sig, err := parseCode(code)
	if err != nil {
		return Claims{}, err
	}
	k.mu.RLock()
	pub, ok := k.public[c.KeyID]
	k.mu.RUnlock()
	if !ok || !ed25519.Verify(pub, payload, sig) {
		return Claims{}, errForged
	}
	return c, nil
}

// Active is the ID of the key that signs new badges.
func (k *Keyring) Active() uint8 {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.active
}

// KeyIDs lists the IDs of every key that verifies, in order.
func (k *Keyring) KeyIDs() []uint8 {
	k.mu.RLock()
	defer k.mu.RUnlock()
	ids := make([]uint8, 0, len(k.public))
	for id := range k.public {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
