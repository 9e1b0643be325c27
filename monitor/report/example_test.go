package report_test

import (
	"fmt"

	"github.com/ceasefired/ceasefired/monitor/report"
)

// The link to an incident's raw record escapes what a path cannot hold.
func ExampleRecordPath() {
	fmt.Println(report.RecordPath("firms-noaa20", "48.01,37.80,2026-12-03,0112,N"))
	fmt.Println(report.RecordPath("field", "team/7"))
	// Output:
	// /api/v1/incidents/firms-noaa20/48.01%2C37.80%2C2026-12-03%2C0112%2CN
	// /api/v1/incidents/field/team%2F7
}
