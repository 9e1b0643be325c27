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

// validateAPI checks the api block of an ACLED or UCDP source: it needs a
// url (the API root or endpoint) and its credential (secret is "key" or
// "token") from a readable file or from ${NAME} in the environment.
func validateAPI(ps *problems, p, ap keyPath, s *Source, api *APIOptions, secret, absDir string) {
	if api == nil {
		return
	}
	if s.URL == "" {
		ps.addf(p.key("url"), "required with %s: the API's address", ap)
	}
	value, file := api.Key, &api.KeyFile
	if secret == "token" {
		value, file = api.Token, &api.TokenFile
	}
	switch {
	case value != "" && *file != "":
		ps.addf(ap.key(secret), "%s and %s_file are mutually exclusive", secret, secret)
	case *file != "":
		written := *file
		if !filepath.IsAbs(*file) {
			*file = filepath.Join(absDir, *file)
		}
		if _, err := ReadToken(*file); err != nil {
			ps.addf(ap.key(secret+"_file"), "cannot read %s", written)
		}
	case value != "":
		if !strings.Contains(value, "${") {
			ps.addf(ap.key(secret), "write it as ${NAME} from the environment, or use %s_file", secret)
		} else if _, err := ExpandEnv(value); err != nil {
			ps.addErr(ap.key(secret), err)
		}
	}
	if secret == "key" && (api.Email == "") != (api.Key == "" && api.KeyFile == "") {
		ps.addf(ap.key("email"), "key and email go together")
	}
	if api.PageSize < 0 {
		ps.addf(ap.key("page_size"), "must not be negative")
	}
}
