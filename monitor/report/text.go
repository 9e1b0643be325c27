package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// statusText says where a trial stands, as people read it.
func statusText(t Trial) string {
	switch t.Status {
	case string(monitor.StatusActive):
		return fmt.Sprintf("Active, day %d of %d", t.Day, t.Days)
	case string(monitor.StatusCompleted):
		return "Completed"
	}
	return "Scheduled"
}

func joinCategories(cs []monitor.Category) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

func categoryText(cs []CategoryCount) string {
	if len(cs) == 0 {
		return "—"
	}
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = fmt.Sprintf("%s %d", c.Category, c.Count)
	}
	return strings.Join(s, ", ")
}

func timeText(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.Format("2006-01-02 15:04Z")
}
