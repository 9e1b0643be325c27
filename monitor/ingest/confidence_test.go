package ingest

import (
	"testing"
	"time"
)

func TestParseConfidence(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{"l", 0, false}, {"LOW", 0, false}, {" n ", 30, false}, {"Nominal", 30, false},
		{"h", 80, false}, {"high", 80, false}, {"0", 0, false}, {"74", 74, false}, {"100", 100, false},
		{"12.5", 12.5, false}, {"", 0, true}, {"-1", 0, true}, {"101", 0, true}, {"NaN", 0, true},
		{"inf", 0, true}, {"medium", 0, true}, {"x", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseConfidence(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseConfidence(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"1035", 10*time.Hour + 35*time.Minute, false},
		{"0846", 8*time.Hour + 46*time.Minute, false},
		{"846", 8*time.Hour + 46*time.Minute, false},
		{"46", 46 * time.Minute, false},
		{"5", 5 * time.Minute, false},
		{"0", 0, false},
		{"2359", 23*time.Hour + 59*time.Minute, false},
		{"10:35", 10*time.Hour + 35*time.Minute, false},
		{"01:17:30", time.Hour + 17*time.Minute + 30*time.Second, false},
		{"2400", 0, true}, {"0960", 0, true}, {"12345", 0, true}, {"", 0, true}, {"1a", 0, true},
		{"10:", 0, true}, {":10", 0, true}, {"10:35:60", 0, true}, {"1:2:3:4", 0, true}, {"-5", 0, true},
		{"10", 10 * time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseClock(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseClock(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestFormatInstant(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), "2022-01-01"},
		{time.Date(2022, 1, 1, 10, 35, 0, 0, time.UTC), "2022-01-01T10:35Z"},
		{time.Date(2022, 1, 1, 10, 35, 7, 0, time.UTC), "2022-01-01T10:35:07Z"},
		{time.Date(2022, 1, 1, 10, 35, 7, 500, time.UTC), "2022-01-01T10:35:07.0000005Z"},
		{time.Date(2022, 1, 1, 12, 0, 0, 0, time.FixedZone("+02", 7200)), "2022-01-01T10:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := formatInstant(tt.in); got != tt.want {
				t.Errorf("formatInstant(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
