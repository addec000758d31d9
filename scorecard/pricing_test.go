package scorecard_test

import (
	"math"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
)

// A price times a token count beyond what a float64 holds is a located
// input error, not an infinite cost that fails later inside the gate.
func TestPricingOverflow(t *testing.T) {
	t.Parallel()
	sc, err := scorecard.Read("big.jsonl", []byte("{\"id\": \"a\", \"accepted\": true, \"usage\": {\"model\": \"m\", \"input_tokens\": 9000000000000000000, \"output_tokens\": 1}}\n"+
		"{\"id\": \"b\", \"accepted\": true, \"usage\": {\"model\": \"m\", \"input_tokens\": 10, \"output_tokens\": 1}}\n"), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = scorecard.ApplyPricing(sc, map[string]scorecard.Price{"m": {InputPerMTok: math.MaxFloat64 / 1e10, OutputPerMTok: 1}})
	want := `big.jsonl:1: case "a": its 9000000000000000000 input and 1 output tokens at the prices of "m" come to more than a float64 holds; check the token counts and the policy's pricing table`
	if err == nil || !scorecard.IsInputError(err) || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}
