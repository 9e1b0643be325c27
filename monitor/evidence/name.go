package evidence

import "fmt"

// String names the document by source and content digest.
func (d Document) String() string {
	return fmt.Sprintf("document %q sha256 %v", d.Source, d.SHA256)
}

// String names the incident by (source, id).
func (i Incident) String() string { return fmt.Sprintf("incident %q/%q", i.Source, i.ID) }

// String names the violation by trial, zone and incident.
func (v Violation) String() string {
	return fmt.Sprintf("violation of %q in zone %q by incident %q/%q", v.Trial, v.ZoneID, v.Source, v.IncidentID)
}

// String names the retraction by trial, zone and incident.
func (r Retraction) String() string {
	return fmt.Sprintf("retraction of %q in zone %q by incident %q/%q", r.Trial, r.ZoneID, r.Source, r.IncidentID)
}

// String names the version by file kind, name and digest.
func (v Version) String() string {
	return fmt.Sprintf("%s %q sha256 %v", v.FileKind, v.Name, v.SHA256)
}
