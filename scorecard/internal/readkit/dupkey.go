package readkit

import "encoding/json"

// A DuplicateKey is a key that an object gives twice: Key, the offset of
// its second occurrence (Off) and of its first (First), both relative to
// the text searched.
type DuplicateKey struct {
	Key        string
	Off, First int
}

// FindDuplicateKey returns the first key that some object inside the JSON
// value raw gives twice, at any depth, or nil when there is none. raw must
// be valid JSON (a reader checks it first); keys are compared after
// decoding, so "a" and "\u0061" are the same key. A repeated key would be
// read as the last one by one decoder and the first by another: JSON
// writers never repeat one, so a repeat is a damaged or forged file.
func FindDuplicateKey(raw []byte) *DuplicateKey {
	type frame struct {
		object, wantKey bool
		keys            []string // the keys so far, while few
		offs            []int
		index           map[string]int // every key, once there are many
	}
	var stack []frame
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '{':
			stack = append(stack, frame{object: true, wantKey: true})
		case '[':
			stack = append(stack, frame{})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].wantKey = true
			}
		case '"':
			start := i
			i++
			escaped := false
			for i < len(raw) && raw[i] != '"' {
				if raw[i] == '\\' {
					escaped = true
					i++
				}
				i++
			}
			n := len(stack)
			if n == 0 || !stack[n-1].object || !stack[n-1].wantKey || i >= len(raw) {
				continue
			}
			f := &stack[n-1]
			f.wantKey = false
			key := string(raw[start+1 : i])
			if escaped {
				if err := json.Unmarshal(raw[start:i+1], &key); err != nil {
					continue
				}
			}
			if f.index == nil && len(f.keys) < 16 {
				for k, prev := range f.keys {
					if prev == key {
						return &DuplicateKey{Key: key, Off: start, First: f.offs[k]}
					}
				}
				f.keys = append(f.keys, key)
				f.offs = append(f.offs, start)
				continue
			}
			if f.index == nil {
				f.index = make(map[string]int, 2*len(f.keys))
				for k, prev := range f.keys {
					f.index[prev] = f.offs[k]
				}
				f.keys, f.offs = nil, nil
			}
			if first, dup := f.index[key]; dup {
				return &DuplicateKey{Key: key, Off: start, First: first}
			}
			f.index[key] = start
		}
	}
	return nil
}
