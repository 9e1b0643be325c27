package configs

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// envNameRE matches an environment variable name.
var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ExpandEnv returns s with every ${NAME} replaced by the value of the
// environment variable NAME. A variable set to the empty string expands to
// nothing; an unset variable is an error naming it, as is a malformed
// reference. A "$" not followed by "{" is kept as it is. The error never
// contains the value of any variable, so it is safe to log.
func ExpandEnv(s string) (string, error) {
	var b strings.Builder
	var errs []error
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			errs = append(errs, fmt.Errorf("unterminated ${ in %q", s[i:]))
			break
		}
		name := s[i+2 : i+end]
		s = s[i+end+1:]
		if !envNameRE.MatchString(name) {
			errs = append(errs, fmt.Errorf("invalid environment variable name %q", name))
			continue
		}
		v, ok := os.LookupEnv(name)
		if !ok {
			errs = append(errs, fmt.Errorf("environment variable %s is not set", name))
			continue
		}
		b.WriteString(v)
	}
	if len(errs) > 0 {
		return "", errors.Join(errs...)
	}
	return b.String(), nil
}
