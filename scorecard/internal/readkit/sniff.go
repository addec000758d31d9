package readkit

import (
	"bytes"
	"encoding/json"
)

// SniffHead bounds how much of a file a sniffer reads; SniffLine bounds
// how much of a JSONL file's first line (whose record may carry a whole
// document and its model outputs) a sniffer decodes.
// SniffDeep bounds the second, deeper walk a sniffer may make when the
// signature it looks for lies beyond SniffHead (see sniffPromptfoo).
const (
	SniffHead = 64 << 10
	SniffLine = 1 << 20
	SniffDeep = 16 << 20
)

// HeadKeys walks the top-level JSON object in the first SniffHead bytes
// of data and returns its keys, each with the first byte of its value (so
// that '{' says "an object"). When the key named descend holds an object,
// that object's keys are returned as inner. A truncated or malformed head
// ends the walk quietly: sniffers only ever say yes or no.
func HeadKeys(data []byte, descend string) (top, inner map[string]byte) {
	return HeadKeysWithin(data, SniffHead, descend)
}

// HeadKeysWithin is HeadKeys reading at most limit bytes.
func HeadKeysWithin(data []byte, limit int, descend string) (top, inner map[string]byte) {
	top, inner, _ = WalkHead(data, limit, descend)
	return top, inner
}

// WalkHead is HeadKeysWithin that also reports whether the walk reached the end
// of the descended object (so that inner holds all of its keys).
func WalkHead(data []byte, limit int, descend string) (top, inner map[string]byte, innerDone bool) {
	head := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(head) > limit {
		head = head[:limit]
	}
	top = map[string]byte{}
	dec := json.NewDecoder(bytes.NewReader(head))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return top, nil, false
	}
	walkKeys(dec, head, top, func(key string, first byte) bool {
		if key != descend || first != '{' {
			return skipJSONValue(dec) == nil
		}
		inner = map[string]byte{}
		dec.Token() // the '{' just seen
		if !walkKeys(dec, head, inner, func(string, byte) bool { return skipJSONValue(dec) == nil }) {
			return false
		}
		_, err := dec.Token()
		innerDone = err == nil
		return innerDone
	})
	return top, inner, innerDone
}

// walkKeys reads the members of the object whose '{' dec has just read,
// noting each key in into with the first byte of its value; value must
// consume that value. It returns false when the text ends or breaks first.
func walkKeys(dec *json.Decoder, head []byte, into map[string]byte, value func(key string, first byte) bool) bool {
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return false
		}
		off := SkipSep(head, int(dec.InputOffset()))
		if off >= len(head) {
			return false
		}
		into[key] = head[off]
		if !value(key, head[off]) {
			return false
		}
	}
	return true
}

// skipJSONValue consumes the next value from dec without keeping it.
func skipJSONValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// FirstLineKeys returns the keys of the JSON object on the first non-blank
// line of data, each with the first byte of its value, or nil when that
// line does not start an object. Only the first SniffLine bytes of the line
// are decoded; the keys found before that are returned.
func FirstLineKeys(data []byte) map[string]byte {
	line := bytes.TrimSpace(FirstLine(data))
	if FirstNonSpace(line) != '{' {
		return nil
	}
	keys, _ := HeadKeysWithin(line, SniffLine, "")
	if len(keys) == 0 {
		return nil
	}
	return keys
}

// LooksNative reports whether keys (of a first line) are those of a native
// scorecard line: a header or a case. Importer sniffers never claim these.
func LooksNative(keys map[string]byte) bool {
	_, h := keys["scorecard"]
	_, id := keys["id"]
	_, acc := keys["accepted"]
	return h || (id && acc)
}

// LooksNativeDocument reports whether the top-level keys of a JSON
// document are those of a native scorecard.
func LooksNativeDocument(top map[string]byte) bool {
	_, version := top["scorecard"]
	_, cases := top["cases"]
	return version || cases
}

// FirstNonSpace returns the first byte of data that is not white space (or
// a UTF-8 byte order mark), or 0.
func FirstNonSpace(data []byte) byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

// FirstLine returns the first non-blank line of data.
func FirstLine(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		var line []byte
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i], data[i+1:]
		}
		if len(bytes.TrimSpace(line)) > 0 {
			return line
		}
	}
	return nil
}
