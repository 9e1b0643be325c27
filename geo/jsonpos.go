package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// jsonWhere returns name, followed by :line:column when err, returned by
// decoding data as JSON, says where in data it arose: a syntax error or a
// value of the wrong type.
func jsonWhere(name string, data []byte, err error) string {
	var off int64
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		off = syntax.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	default:
		return name
	}
	line, col := position(data, off)
	return fmt.Sprintf("%s:%d:%d", name, line, col)
}

// position returns the line and column, both from 1, of the last byte the
// JSON decoder read when it stopped at offset (its errors' Offset counts
// the bytes read, the offending one included): the character that is
// wrong, the end of the value of the wrong type, or the last byte of input
// that ends too early. Columns count bytes, as Go's own tools do; an
// offset of 0 is 1:1.
func position(data []byte, offset int64) (line, col int) {
	i := int(min(max(offset-1, 0), int64(len(data))))
	before := data[:i]
	return 1 + bytes.Count(before, []byte{'\n'}), i - bytes.LastIndexByte(before, '\n')
}
