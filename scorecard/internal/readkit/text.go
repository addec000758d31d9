package readkit

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// ValidText reports whether the JSON text raw decodes without loss:
// whether it is valid UTF-8 and holds no \u escape of an unpaired UTF-16
// surrogate. encoding/json turns both into U+FFFD, so two different
// inputs ("c\xff" and "c\xfe", or "c\udcff" and "c\udcfe") would decode
// to the same string, and two different case ids would pair.
func ValidText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++
		if i >= len(raw) || raw[i] != 'u' {
			continue
		}
		r, ok := hex4(raw[i+1:])
		if !ok {
			continue
		}
		i += 4
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return false // a low surrogate with no high one before it
		case r >= 0xD800 && r <= 0xDBFF:
			next := raw[i+1:]
			if len(next) < 6 || next[0] != '\\' || next[1] != 'u' {
				return false
			}
			lo, ok := hex4(next[2:])
			if !ok || utf16.DecodeRune(r, lo) == utf8.RuneError {
				return false
			}
			i += 6
		}
	}
	return true
}

// hex4 decodes the four hex digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 32)
	return rune(n), err == nil
}

// InvalidText is the message for a JSON string that ValidText refuses.
func InvalidText(what string, raw []byte) string {
	place := "a byte sequence that is not UTF-8"
	if utf8.Valid(raw) {
		place = "a \\u escape of an unpaired surrogate"
	}
	return what + " is not valid text: it holds " + place + ", which JSON readers turn into U+FFFD, so two different values would read the same; write it as UTF-8"
}
