package configs

import (
	"time"

	"github.com/ceasefired/ceasefired/geo"
)

// ZoneVersion is one version of a zone: its geometry as read from one
// listing of a zone file, in force from From until the next version of
// the same zone id (forever when there is none).
type ZoneVersion struct {
	Zone geo.Zone
	// From is the listing's effective_from in UTC; zero means from the
	// beginning of time.
	From time.Time
	// SHA256 is the digest of the zone file's bytes: the zone version
	// every violation judged under it records.
	SHA256 [32]byte
	// Entry is the index of the listing in Config.Zones.
	Entry int
}

// latestZones returns, for every zone id of vs, its version with the
// latest From (the last listed of equal ones), in the order the ids first
// appear in vs.
func latestZones(vs []ZoneVersion) []geo.Zone {
	at := map[string]int{} // id → index in out
	var out []geo.Zone
	var from []time.Time
	for _, v := range vs {
		i, ok := at[v.Zone.ID]
		if !ok {
			at[v.Zone.ID] = len(out)
			out = append(out, v.Zone)
			from = append(from, v.From)
			continue
		}
		if !v.From.Before(from[i]) {
			out[i], from[i] = v.Zone, v.From
		}
	}
	return out
}
