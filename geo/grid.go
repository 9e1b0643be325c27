package geo

// grid is the containment accelerator over all parts.
type grid struct{}

func buildGrid(parts []part) grid { return grid{} }

func (g *grid) locate(parts []part, x, y float64, dst []int) []int {
	start := len(dst)
	for i := range parts {
		p := &parts[i]
		b := p.bound
		if x < b.Min[0] || x > b.Max[0] || y < b.Min[1] || y > b.Max[1] {
			continue
		}
		if n := len(dst); n > start && dst[n-1] == p.zone {
			continue
		}
		if polygonContains(p.poly, x, y) {
			dst = append(dst, p.zone)
		}
	}
	return dst
}
