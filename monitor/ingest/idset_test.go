package ingest

import (
	"fmt"
	"strings"
	"testing"
)

// TestIDSet checks that the set finds exactly the ids added before, across
// growth, ids longer than a block, and a reset that keeps the memory.
func TestIDSet(t *testing.T) {
	var p idSets
	long := strings.Repeat("x", idBlock+10)
	for round := range 2 {
		s := p.get()
		for i := range 5000 {
			id := fmt.Sprintf("2022-01-01/%d/37.6", i)
			if s.add(id) {
				t.Fatalf("round %d: %s seen before it was added", round, id)
			}
		}
		for _, id := range []string{"", long, long + "y"} {
			if s.add(id) {
				t.Fatalf("round %d: id of %d bytes seen before it was added", round, len(id))
			}
		}
		for i := range 5000 {
			if id := fmt.Sprintf("2022-01-01/%d/37.6", i); !s.add(id) {
				t.Fatalf("round %d: %s added before, not seen", round, id)
			}
		}
		for _, id := range []string{"", long, long + "y"} {
			if !s.add(id) {
				t.Fatalf("round %d: id of %d bytes added before, not seen", round, len(id))
			}
		}
		if s.add("2022-01-01/5000/37.6") || s.add(long[1:]) {
			t.Fatalf("round %d: a new id seen", round)
		}
		p.put(s)
	}
}
