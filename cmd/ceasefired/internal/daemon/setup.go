package daemon

import (
	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
)

// Setup is everything built from one config file: the evaluator over the
// zone index and trials, and the runnable sources. The check and replay
// commands build one the way the daemon does.
type Setup struct{ s *setup }

// BuildSetup maps a validated config onto the domain; it fails on what the
// config loader cannot see (a zone index that cannot be built, a source
// that cannot be constructed).
func BuildSetup(cfg *configs.Config) (*Setup, error) {
	s, err := buildSetup(cfg)
	if err != nil {
		return nil, err
	}
	return &Setup{s: s}, nil
}

// Evaluator returns the evaluator of the setup's zones and trials.
func (s *Setup) Evaluator() *monitor.Evaluator { return s.s.evaluator }

// Sources returns the sources fetched on a schedule, in config order; push
// sources are left out.
func (s *Setup) Sources() []*monitor.Source { return s.s.sources }
