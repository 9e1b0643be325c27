package configs

import "testing"

func TestExpandEnv(t *testing.T) {
	t.Setenv("CEASEFIRED_TEST_KEY", "k3y")
	t.Setenv("CEASEFIRED_TEST_EMPTY", "")
	tests := []struct {
		name, in, want, err string
	}{
		{"no reference", "https://example.invalid/a", "https://example.invalid/a", ""},
		{"one", "https://x.invalid/${CEASEFIRED_TEST_KEY}/a", "https://x.invalid/k3y/a", ""},
		{"twice", "${CEASEFIRED_TEST_KEY}${CEASEFIRED_TEST_KEY}", "k3yk3y", ""},
		{"set but empty", "a${CEASEFIRED_TEST_EMPTY}b", "ab", ""},
		{"dollar without brace kept", "a$CEASEFIRED_TEST_KEY $ b", "a$CEASEFIRED_TEST_KEY $ b", ""},
		{"unset", "x/${CEASEFIRED_TEST_UNSET}/y", "", "environment variable CEASEFIRED_TEST_UNSET is not set"},
		{"every unset one", "${CEASEFIRED_TEST_UNSET}${CEASEFIRED_TEST_KEY}${CEASEFIRED_TEST_UNSET2}", "",
			"environment variable CEASEFIRED_TEST_UNSET is not set\nenvironment variable CEASEFIRED_TEST_UNSET2 is not set"},
		{"bad name", "${1KEY}", "", `invalid environment variable name "1KEY"`},
		{"empty name", "${}", "", `invalid environment variable name ""`},
		{"unterminated", "a/${CEASEFIRED_TEST_KEY", "", `unterminated ${ in "${CEASEFIRED_TEST_KEY"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExpandEnv(tt.in)
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("ExpandEnv(%q) error %v", tt.in, err)
			case tt.err != "" && (err == nil || err.Error() != tt.err):
				t.Fatalf("ExpandEnv(%q) error %v, want %q", tt.in, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("ExpandEnv(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
