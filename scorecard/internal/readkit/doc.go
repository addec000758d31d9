// Package readkit is what the scorecard readers share: located input
// errors (FILE:LINE:COL), JSON and JSONL text decoded with the place of
// every value, cheap content sniffing, and the wording of common messages
// ("did you mean", lists of names). Package scorecard and every reader
// under it use it; nothing else should.
package readkit
