package main

import (
	"context"
	"fmt"
	"io"

	"huizhan/conference"
)

// loadPlatform adds the city platform's projects (demo -scale platform),
// drawing a progress bar on stderr: they take a while to index.
func loadPlatform(ctx context.Context, a *app, stdout, stderr io.Writer) error {
	bar := &progressBar{w: stderr}
	e, err := a.conference.SeedPlatform(ctx, func(done, total int) { bar.update(total, done) })
	bar.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Platform data loaded: %d projects in edition %d (%s).\n", conference.PlatformSize(), e.ID, e.Name)
	return nil
}
