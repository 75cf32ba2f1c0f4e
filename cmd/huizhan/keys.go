package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"huizhan/checkin"
)

// cmdKeys manages the badge signing key file:
//
//	huizhan keys rotate -keys FILE
//
// Rotating makes a new active key; the older keys keep only their public
// half and go on verifying the badges they signed. A running server reads
// the file at start: restart it so that new badges are signed with the
// new key.
func cmdKeys(_ context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rotate" {
		fmt.Fprint(stderr, "Usage: huizhan keys rotate -keys FILE\n")
		return errors.New("keys: the only subcommand is rotate")
	}
	fs := newFlags("keys rotate -keys FILE", stderr,
		"Make a new badge signing key. Badges already printed stay valid: the old keys are kept to verify them.\n"+
			"Restart the server afterwards so that it signs new badges with the new key.")
	keys := fs.String("keys", env("KEYS", ""), "badge signing key file (HUIZHAN_KEYS)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *keys == "" {
		return errors.New("keys rotate: -keys FILE is required")
	}
	// LoadKeyring creates a missing file; rotating one that does not exist
	// is a mistyped path, not a first start.
	if _, err := os.Stat(*keys); err != nil {
		return fmt.Errorf("keys rotate: no key file at %s", *keys)
	}
	k, err := checkin.LoadKeyring(*keys)
	if err != nil {
		return err
	}
	old := k.Active()
	if err := k.Rotate(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "badge keys %s: key %d now signs; key %d and older are kept to verify badges already issued (all: %v). Restart the server.\n",
		*keys, k.Active(), old, k.KeyIDs())
	return nil
}
