package configs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// checkGlobs looks at the folder of every file source's path glob. A
// folder that does not exist (or is not a folder) is a warning, as a
// volume may be mounted after the daemon starts, unless missingIsError,
// which `ceasefired check config` sets since it runs where the daemon
// will. A folder whose glob matches no file yet is a warning. Both name
// the config file, line and source.
// Folders are shown as the user named them: below shownDir, the config
// file's folder as given, when they are below absDir, the same folder
// absolute.
func checkGlobs(c *Config, ps *problems, shownDir, absDir string, missingIsError bool) {
	for i, s := range c.Sources {
		p := keyPath{"sources", i, "path"}
		if s.Path == "" || s.Pushed() {
			continue
		}
		if _, err := filepath.Match(s.Path, ""); err != nil {
			continue // reported by validateLocation
		}
		folder := globFolder(s.Path)
		shown := folder
		if rel, err := filepath.Rel(absDir, folder); err == nil && filepath.IsLocal(rel) {
			shown = filepath.Join(shownDir, rel)
		}
		if fi, err := os.Stat(folder); err != nil || !fi.IsDir() {
			why := "does not exist"
			if err == nil {
				why = "is not a folder"
			} else if !os.IsNotExist(err) {
				why = fmt.Sprintf("cannot be read: %v", err)
			}
			if missingIsError {
				ps.addf(p, "folder %s of source %q %s", shown, s.Name, why)
			} else {
				ps.warnf(p, "folder %s of source %q %s", shown, s.Name, why)
			}
			continue
		}
		if matches, _ := filepath.Glob(s.Path); len(matches) == 0 {
			ps.warnf(p, "no file in %s matches the path of source %q yet", shown, s.Name)
		}
	}
}

// globFolder returns the deepest folder of the absolute glob pattern that
// holds no pattern characters: the folder that must exist for the pattern
// to match anything.
func globFolder(pattern string) string {
	dir := filepath.Dir(pattern)
	for strings.ContainsAny(dir, `*?[\`) {
		dir = filepath.Dir(dir)
	}
	return dir
}
