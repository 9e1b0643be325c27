package configs

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// firmsFormat is NASA FIRMS active fire detections (CSV, MODIS or VIIRS).
func firmsFormat() format {
	return format{
		name:        "firms",
		kind:        kindOf(judge.Satellite),
		attribution: firmsAttribution,
		blocks:      []string{"firms"},
		validate: func(ps *problems, p keyPath, s *Source, _ string) {
			if s.FIRMS != nil {
				checkConfidence(ps, p.key("firms").key("min_confidence"), s.FIRMS.MinConfidence)
			}
		},
		defaults: func(s *Source, _ keyPath, _ *yaml.Node) {
			if s.FIRMS == nil {
				s.FIRMS = &FIRMSOptions{}
			}
			// yaml.v3 decodes an explicit empty list to an empty slice and
			// a missing or null key to nil: only nil takes the default.
			if s.FIRMS.DropTypes == nil {
				s.FIRMS.DropTypes = DefaultFIRMSDropTypes()
			}
		},
		decoder: func(s *Source) (monitor.Decoder, error) {
			o := ingest.FIRMSOptions{DropTypes: DefaultFIRMSDropTypes()}
			if f := s.FIRMS; f != nil {
				o.DropTypes, o.Footprint = f.DropTypes, f.Footprint
				var err error
				if o.MinConfidence, err = minConfidence(f.MinConfidence); err != nil {
					return nil, err
				}
			}
			return ingest.NewFIRMS(o), nil
		},
	}
}

// csvFormat is a generic CSV file whose columns the csv block names.
func csvFormat() format {
	return format{
		name:   "csv",
		kind:   csvKind,
		blocks: []string{"csv"},
		validate: func(ps *problems, p keyPath, s *Source, _ string) {
			cp := p.key("csv")
			if s.CSV == nil {
				ps.addf(cp, "required for format csv (lat, lon and time columns)")
				return
			}
			for _, col := range []struct{ key, value string }{
				{"lat", s.CSV.Lat}, {"lon", s.CSV.Lon}, {"time", s.CSV.Time},
			} {
				if col.value == "" {
					ps.addf(cp.key(col.key), "required")
				}
			}
			if s.CSV.Category == "" && s.Category == "" {
				ps.addf(p.key("category"), "required for format csv when no csv.category column is mapped")
			}
		},
		defaults: noDefaults,
		decoder: func(s *Source) (monitor.Decoder, error) {
			c := s.CSV
			if c == nil {
				return nil, errNoBlock("csv")
			}
			return ingest.NewCSV(ingest.CSVOptions{
				Lat: c.Lat, Lon: c.Lon, Time: c.Time, TimeFormat: c.TimeFormat,
				ID: c.ID, Category: c.Category, Confidence: c.Confidence,
				DefaultCategory: monitor.Category(s.Category), UncertaintyM: s.UncertaintyMeters,
			})
		},
	}
}

// acledFormat is ACLED event exports (CSV), or the ACLED API when the acled
// block has an api block.
func acledFormat() format {
	return format{
		name:        "acled",
		kind:        kindOf(judge.EventData),
		attribution: acledAttribution,
		restricted:  true,
		blocks:      []string{"acled"},
		validate: func(ps *problems, p keyPath, s *Source, absDir string) {
			if s.ACLED == nil {
				return
			}
			if a := s.ACLED.API; a != nil {
				key := credential{name: "key", value: a.Key, file: &a.KeyFile}
				validateAPI(ps, p, p.key("acled").key("api"), s, key, &a.Email, a.PageSize, absDir)
			}
			for _, c := range s.ACLED.Categories {
				checkCategory(ps, p.key("acled").key("categories"), c)
			}
		},
		defaults: noDefaults,
		decoder: func(s *Source) (monitor.Decoder, error) {
			o := ingest.ACLEDOptions{}
			if a := s.ACLED; a != nil {
				o.KeepPrecision3, o.Categories = a.KeepPrecision3, categories(a.Categories)
			}
			return ingest.NewACLED(o), nil
		},
		fetcher: func(s *Source, t ingest.Transport) (monitor.Fetcher, error) {
			if s.ACLED == nil || s.ACLED.API == nil {
				return locationFetcher(s, t)
			}
			a := s.ACLED.API
			key, err := secret(a.Key, a.KeyFile)
			if err != nil {
				return nil, fmt.Errorf("acled.api.key: %w", err)
			}
			return ingest.NewACLEDAPI(ingest.ACLEDAPIOptions{
				BaseURL: s.URL, Key: key, Email: a.Email, Query: query(a.Query), PageSize: a.PageSize,
				Transport: t,
			}), nil
		},
	}
}

// ucdpFormat is UCDP GED events (CSV), or the UCDP API when the ucdp block
// has an api block.
func ucdpFormat() format {
	return format{
		name:        "ucdp",
		kind:        kindOf(judge.EventData),
		attribution: ucdpAttribution,
		blocks:      []string{"ucdp"},
		validate: func(ps *problems, p keyPath, s *Source, absDir string) {
			if s.UCDP == nil {
				return
			}
			cp := p.key("ucdp").key("categories")
			if a := s.UCDP.API; a != nil {
				token := credential{name: "token", value: a.Token, file: &a.TokenFile}
				validateAPI(ps, p, p.key("ucdp").key("api"), s, token, nil, a.PageSize, absDir)
			}
			for code, c := range s.UCDP.Categories {
				if code < 1 || code > 3 {
					ps.addf(cp, "type_of_violence %d is not 1, 2 or 3", code)
				}
				checkCategory(ps, cp, c)
			}
		},
		defaults: noDefaults,
		decoder: func(s *Source) (monitor.Decoder, error) {
			o := ingest.UCDPOptions{}
			if u := s.UCDP; u != nil {
				o.KeepNotSpatial, o.Categories = u.KeepNotSpatial, categories(u.Categories)
			}
			return ingest.NewUCDP(o), nil
		},
		fetcher: func(s *Source, t ingest.Transport) (monitor.Fetcher, error) {
			if s.UCDP == nil || s.UCDP.API == nil {
				return locationFetcher(s, t)
			}
			a := s.UCDP.API
			token, err := secret(a.Token, a.TokenFile)
			if err != nil {
				return nil, fmt.Errorf("ucdp.api.token: %w", err)
			}
			return ingest.NewUCDPAPI(ingest.UCDPAPIOptions{
				BaseURL: s.URL, Token: token, Query: query(a.Query), PageSize: a.PageSize,
				Transport: t,
			}), nil
		},
	}
}

// csvKind is the default kind of a csv source, which may carry anything:
// satellite when every record is a thermal anomaly (a category of
// thermal_anomaly and no category column: a FIRMS archive, say), field
// otherwise. A detection archive that defaulted to field would corroborate
// the live satellite feed of the same detections.
func csvKind(s *Source) judge.Kind {
	if s.Category == string(monitor.ThermalAnomaly) && (s.CSV == nil || s.CSV.Category == "") {
		return judge.Satellite
	}
	return judge.Field
}
