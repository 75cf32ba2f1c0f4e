package roadshow

// diff lists what changed from prev to cur: sessions and slots that are
// new, that moved (another time or room) and that were cancelled, in the
// order of the current agenda, cancellations last.
func diff(prev, cur []AgendaSession) []Change {
	type placed struct {
		session AgendaSession
		slot    AgendaSlot
	}
	oldSessions := map[int64]AgendaSession{}
	oldSlots := map[int64]placed{}
	for _, s := range prev {
		oldSessions[s.ID] = s
		for _, sl := range s.Slots {
			oldSlots[sl.ID] = placed{s, sl}
		}
	}
	changes := []Change{}
	for _, s := range cur {
		c := Change{Type: "session", ID: s.ID, Title: s.Title, Room: s.Room, StartsAt: s.StartsAt, EndsAt: s.EndsAt}
		if o, ok := oldSessions[s.ID]; !ok {
			changes = append(changes, withKind(c, ChangeNew))
		} else if moved(o.Room, s.Room, o.StartsAt.Equal(s.StartsAt) && o.EndsAt.Equal(s.EndsAt)) {
			c.OldRoom, c.OldStartsAt = o.Room, &o.StartsAt
			changes = append(changes, withKind(c, ChangeMoved))
		}
		delete(oldSessions, s.ID)
		for _, sl := range s.Slots {
			c := Change{Type: "slot", ID: sl.ID, Title: sl.Project, Session: s.Title, Room: s.Room,
				StartsAt: sl.StartsAt, EndsAt: sl.EndsAt}
			if o, ok := oldSlots[sl.ID]; !ok {
				changes = append(changes, withKind(c, ChangeNew))
			} else if moved(o.session.Room, s.Room, o.slot.StartsAt.Equal(sl.StartsAt) && o.slot.EndsAt.Equal(sl.EndsAt)) {
				c.OldRoom, c.OldStartsAt = o.session.Room, &o.slot.StartsAt
				changes = append(changes, withKind(c, ChangeMoved))
			}
			delete(oldSlots, sl.ID)
		}
	}
	for _, s := range prev {
		if _, gone := oldSessions[s.ID]; gone {
			changes = append(changes, Change{Kind: ChangeCancelled, Type: "session", ID: s.ID, Title: s.Title,
				Room: s.Room, StartsAt: s.StartsAt, EndsAt: s.EndsAt})
		}
		for _, sl := range s.Slots {
			if _, gone := oldSlots[sl.ID]; gone {
				changes = append(changes, Change{Kind: ChangeCancelled, Type: "slot", ID: sl.ID, Title: sl.Project,
					Session: s.Title, Room: s.Room, StartsAt: sl.StartsAt, EndsAt: sl.EndsAt})
			}
		}
	}
	return changes
}

func moved(oldRoom, room string, sameTime bool) bool { return oldRoom != room || !sameTime }

func withKind(c Change, kind string) Change {
	c.Kind = kind
	return c
}
