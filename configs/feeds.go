package configs

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/ceasefired/ceasefired/monitor"
)

// checkCategory records a problem at p when c is not a category.
func checkCategory(ps *problems, p keyPath, c string) {
	if _, err := monitor.ParseCategory(c); err != nil {
		ps.addErr(p, err)
	}
}

// ReadToken reads a secret from a file, without surrounding white space.
func ReadToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// credential is the secret of an api block: its name ("key" or "token"),
// its ${NAME} value and its file, made absolute in place.
type credential struct {
	name  string
	value string
	file  *string
}

// validateAPI checks the api block ap of an ACLED or UCDP source: it needs
// a url (the API root or endpoint) and its credential from a readable file
// or from ${NAME} in the environment. email, for ACLED only, goes with the
// key; it is nil for UCDP.
func validateAPI(ps *problems, p, ap keyPath, s *Source, cred credential, email *string, pageSize int, absDir string) {
	if s.URL == "" {
		ps.addf(p.key("url"), "required with %s: the API's address", ap)
	}
	secret, file := cred.name, cred.file
	switch {
	case cred.value != "" && *file != "":
		ps.addf(ap.key(secret), "%s and %s_file are mutually exclusive", secret, secret)
	case *file != "":
		written := *file
		if !filepath.IsAbs(*file) {
			*file = filepath.Join(absDir, *file)
		}
		if _, err := ReadToken(*file); err != nil {
			ps.addf(ap.key(secret+"_file"), "cannot read %s", written)
		}
	case cred.value != "":
		if !strings.Contains(cred.value, "${") {
			ps.addf(ap.key(secret), "write it as ${NAME} from the environment, or use %s_file", secret)
		} else if _, err := ExpandEnv(cred.value); err != nil {
			ps.addErr(ap.key(secret), err)
		}
	}
	if email != nil && (*email == "") != (cred.value == "" && *file == "") {
		ps.addf(ap.key("email"), "%s and email go together", secret)
	}
	if pageSize < 0 {
		ps.addf(ap.key("page_size"), "must not be negative")
	}
}
