package ingest

import (
	"bytes"
	"encoding/json"
	"testing"
)

func FuzzACLED(f *testing.F) {
	addFixtureSeeds(f, "acled_events.csv")
	f.Add([]byte("event_id_cnty,event_date,sub_event_type,latitude,longitude,geo_precision,notes,fatalities\nX1,3 March 2022,Grenade,48,37,1,\"a\nb\",0\n"))
	d := NewACLED(ACLEDOptions{KeepPrecision3: true})
	allowed := map[string]bool{"event_id_cnty": true, "event_date": true, "sub_event_type": true, "geo_precision": true,
		"time_precision": true, "fatalities": true, "fatalities_note": true}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var rec recorder
		checkDecode(t, d, doc)
		if d.Decode(bytes.NewReader(doc), "fuzz.csv", &rec) != nil {
			return
		}
		for _, inc := range rec.incidents {
			var raw map[string]string
			if err := json.Unmarshal([]byte(inc.Raw), &raw); err != nil {
				t.Fatalf("raw %q: %v", inc.Raw, err)
			}
			for k := range raw {
				if !allowed[k] {
					t.Fatalf("raw %s holds %q", inc.Raw, k)
				}
			}
			if inc.UncertaintyM != 2_000 && inc.UncertaintyM != 25_000 && inc.UncertaintyM != 100_000 {
				t.Fatalf("incident %+v: uncertainty not from geo_precision", inc)
			}
		}
	})
}
