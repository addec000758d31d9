// Package actions is ftgate's GitHub Actions glue: inside a workflow run
// (GITHUB_ACTIONS=true) it turns a gate.Decision into step outputs, a job
// summary, annotations and, optionally, a sticky pull-request comment. It
// decides nothing and renders nothing itself: the verdict comes from the
// gate and the Markdown from the report package.
//
// It talks to the runner through one githubactions.Action built with
// WithGetenv and WithWriter, so tests give it a fake environment and
// buffers. Nothing here panics or exits: go-githubactions panics when it
// cannot write an environment file, and every such call is guarded.
//
// The composite action (action.yml) passes its inputs to the program in
// these environment variables; a workflow can set them by hand too:
//
//	FTGATE_FAIL_ON       fail | fail-or-inconclusive (default): with "fail",
//	                     an inconclusive verdict exits 0 with a warning
//	FTGATE_COMMENT       true to post or update the pull-request comment
//	FTGATE_GITHUB_TOKEN  the token for the comment (else GITHUB_TOKEN)
//
// and it reads the runner's own GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
// GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_API_URL,
// GITHUB_SERVER_URL and GITHUB_RUN_ID.
package actions

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/internal/visible"
	"github.com/ftgate/ftgate/report"
)

// The environment variables of the contract between action.yml and the
// program.
const (
	EnvFailOn  = "FTGATE_FAIL_ON"
	EnvComment = "FTGATE_COMMENT"
	EnvToken   = "FTGATE_GITHUB_TOKEN"
)

// The values of fail-on.
const (
	FailOnFail               = "fail"
	FailOnFailOrInconclusive = "fail-or-inconclusive"
)

// maxSummaryBytes keeps the job summary under GitHub's 1 MiB per step.
const maxSummaryBytes = 1000 << 10

// maxWarningAnnotations caps the warning annotations; GitHub shows only a
// few per step, and the summary lists the rest.
const maxWarningAnnotations = 5

// InActions reports whether the program runs inside GitHub Actions.
func InActions(getenv func(string) string) bool { return getenv("GITHUB_ACTIONS") == "true" }

// ParseFailOn reads the fail-on setting; empty means the default. An
// invalid value returns the default with an error to warn about.
func ParseFailOn(s string) (string, error) {
	switch v := strings.TrimSpace(s); v {
	case "":
		return FailOnFailOrInconclusive, nil
	case FailOnFail, FailOnFailOrInconclusive:
		return v, nil
	}
	return FailOnFailOrInconclusive, fmt.Errorf("%s=%q is neither %q nor %q; using %q", EnvFailOn, s, FailOnFail, FailOnFailOrInconclusive, FailOnFailOrInconclusive)
}

// blockedReason is the last reason gate.Decide gives an inconclusive
// verdict under the policy's inconclusive: fail; ApplyFailOn replaces it.
const blockedReason = "Without evidence either way the release is blocked (inconclusive: fail)."

// failOnReason is the reason an inconclusive verdict lowered by fail-on
// ends with.
const failOnReason = "Without evidence either way the policy blocks the release (inconclusive: fail), but fail-on: fail (" + EnvFailOn +
	") is set, so an inconclusive verdict does not fail the step (exit code 0)."

// ApplyFailOn lets an inconclusive verdict pass (exit code 0) when failOn
// is "fail", and says so in the reasons: the gate's "the release is
// blocked" sentence is replaced, not contradicted by a later one. It
// reports whether it changed the exit code. A fail verdict always keeps
// its exit code. It must run before any report is written, so that every
// report carries the exit code the process ends with.
func ApplyFailOn(d *gate.Decision, failOn string) bool {
	if failOn != FailOnFail || d.Verdict != gate.Inconclusive || d.ExitCode == gate.ExitPass {
		return false
	}
	d.ExitCode = gate.ExitPass
	for i := len(d.Findings) - 1; i >= 0; i-- {
		if d.Findings[i].Text == blockedReason {
			d.Findings[i].Text = failOnReason
		}
	}
	for i := len(d.Reasons) - 1; i >= 0; i-- {
		if d.Reasons[i] == blockedReason {
			d.Reasons[i] = failOnReason
			return true
		}
	}
	d.Reasons = append(d.Reasons, failOnReason)
	d.Findings = append(d.Findings, gate.Finding{Check: gate.CheckVerdict, Status: gate.FindingInfo, Text: failOnReason})
	return true
}

// Options is what a Publisher may touch.
type Options struct {
	Getenv func(string) string
	// Stdout receives the workflow commands (annotations). When it is a
	// CommandWriter (the *visible.Writer guarding standard output), its
	// Command method writes them; any other writer is wrapped in a
	// visible.Writer.
	Stdout   io.Writer
	Stderr   io.Writer // warnings about the publishing itself
	ReadFile func(string) ([]byte, error)
	// HTTPClient talks to the GitHub API; nil means a client with a
	// 30-second timeout.
	HTTPClient *http.Client
}

// A Publisher writes one decision to the runner.
type Publisher struct {
	gh   *githubactions.Action
	cmds CommandWriter
	opts Options
}

// New returns a Publisher over one githubactions.Action built from opts.
func New(opts Options) *Publisher {
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	cmds, ok := opts.Stdout.(CommandWriter)
	if !ok {
		cmds = visible.NewWriter(opts.Stdout, visible.Options{})
	}
	// go-githubactions writes only the environment files here; the
	// commands go through cmds.
	gh := githubactions.New(githubactions.WithGetenv(opts.Getenv), githubactions.WithWriter(io.Discard))
	return &Publisher{gh: gh, cmds: cmds, opts: opts}
}

// A Result is what a Publisher publishes.
type Result struct {
	Decision *gate.Decision
	Names    report.Names
	// JSONPath is where the JSON report was written, if anywhere.
	JSONPath string
}

// Publish writes the step outputs, the job summary, the annotations and,
// when FTGATE_COMMENT is true on a pull-request event, the pull-request
// comment. It carries on past every failure and returns them joined: a
// problem publishing never changes the verdict or the exit code. A
// failure of the comment is also a warning annotation titled "ftgate
// comment".
func (p *Publisher) Publish(ctx context.Context, r Result) error {
	var errs []error
	if err := p.SetOutputs(r); err != nil {
		errs = append(errs, err)
	}
	var md bytes.Buffer
	if err := report.Markdown(&md, r.Decision, r.Names); err != nil {
		errs = append(errs, fmt.Errorf("rendering the job summary: %w", err))
	}
	if err := p.AddSummary(md.String()); err != nil {
		errs = append(errs, err)
	}
	if err := p.Annotate(r); err != nil {
		errs = append(errs, err)
	}
	if err := p.Comment(ctx, md.String()); err != nil {
		err = fmt.Errorf("pull-request comment: %w", err)
		errs = append(errs, err)
		// The caller prints the error to the log; the annotation puts it
		// where a reviewer looks.
		if aerr := p.annotate("warning", "ftgate comment", err.Error()); aerr != nil {
			errs = append(errs, aerr)
		}
	}
	return errors.Join(errs...)
}

// guard runs f, turning a go-githubactions panic into an error.
func guard(what string, f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: %v", what, r)
		}
	}()
	f()
	return nil
}

// number formats an output value as a plain decimal (never exponent
// notation: 0.0000189938, not 1.89938e-05) rounded to six significant
// digits, and the empty string for a value that is not defined.
func number(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	if x == 0 {
		return "0"
	}
	rounded, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return strconv.FormatFloat(rounded, 'f', -1, 64)
}

// Outputs returns the step outputs of a result, in a fixed order.
func Outputs(r Result) [][2]string {
	d := r.Decision
	costRatio, costP := "", ""
	if d.Cost.Measured {
		costRatio, costP = number(d.Cost.Ratio), number(d.Cost.PValue)
	}
	return [][2]string{
		{"verdict", string(d.Verdict)},
		{"quality-delta", number(d.Quality.Delta)},
		{"quality-p", number(d.Quality.PValue)},
		{"cost-ratio", costRatio},
		{"cost-p", costP},
		{"report", r.JSONPath},
	}
}

// SetOutputs writes the step outputs to the file named by GITHUB_OUTPUT.
func (p *Publisher) SetOutputs(r Result) error {
	if p.opts.Getenv("GITHUB_OUTPUT") == "" {
		return errors.New("GITHUB_OUTPUT is not set, so the step outputs are not written")
	}
	var errs []error
	for _, kv := range Outputs(r) {
		// go-githubactions writes name<<DELIMITER with a fixed delimiter:
		// a value with a line break could end it early.
		if strings.ContainsAny(kv[1], "\r\n") {
			errs = append(errs, fmt.Errorf("output %s: the value %q has a line break; not written", kv[0], kv[1]))
			continue
		}
		if err := guard("step output "+kv[0], func() { p.gh.SetOutput(kv[0], kv[1]) }); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// AddSummary appends md to the job summary (GITHUB_STEP_SUMMARY), cut to
// GitHub's size limit.
func (p *Publisher) AddSummary(md string) error {
	if p.opts.Getenv("GITHUB_STEP_SUMMARY") == "" {
		return errors.New("GITHUB_STEP_SUMMARY is not set, so the job summary is not written")
	}
	return guard("job summary", func() { p.gh.AddStepSummary(truncateMarkdown(md, maxSummaryBytes)) })
}

// Annotate prints the annotations: one for the verdict (an error when the
// step fails, a warning for an inconclusive verdict that does not block, a
// notice for a pass), one per regressed segment and broken constraint,
// and a few of the decision's warnings. Titles and messages may quote
// scorecards; the command writer escapes them.
func (p *Publisher) Annotate(r Result) error {
	d := r.Decision
	var errs []error
	note := func(kind, title, msg string) {
		if err := p.annotate(kind, title, msg); err != nil {
			errs = append(errs, err)
		}
	}
	title := "ftgate: " + strings.ToUpper(string(d.Verdict))
	msg := fmt.Sprintf("%s (candidate) against %s (baseline)", r.Names.Candidate, r.Names.Baseline)
	if len(d.Reasons) > 0 {
		msg += "\n" + strings.Join(d.Reasons, "\n")
	}
	switch {
	case d.Verdict == gate.Pass:
		note("notice", title, msg)
	case d.ExitCode == gate.ExitPass:
		note("warning", title+" (not blocking)", msg)
	default:
		note("error", title, msg)
	}
	for _, s := range d.Segments {
		if !s.Regression {
			continue
		}
		kind := "error"
		if !d.Policy.Segments.BlockOnRegression {
			kind = "warning"
		}
		note(kind, fmt.Sprintf("ftgate: workflow %q regressed", s.Name),
			fmt.Sprintf("Workflow %q: acceptance %s → %s (%s) over %s, Holm-adjusted %s.",
				s.Name, numfmt.Pct(s.Baseline), numfmt.Pct(s.Candidate), numfmt.Points(s.Delta), numfmt.Counted(s.Cases, "case", "cases"), numfmt.PEquals(s.PAdjusted)))
	}
	for _, group := range [][]gate.Constraint{d.Latency.Constraints, d.Format.Constraints} {
		for _, k := range group {
			if k.Measured && !k.Held {
				note("error", "ftgate: constraint "+k.Name+" broken",
					fmt.Sprintf("Constraint %s: %.4g against the limit %.4g.", k.Name, k.Value, k.Limit))
			}
		}
	}
	for i, w := range d.Warnings {
		if i == maxWarningAnnotations {
			note("warning", "ftgate: more warnings", fmt.Sprintf("%d more warnings; see the job summary.", len(d.Warnings)-maxWarningAnnotations))
			break
		}
		note("warning", "ftgate: warning", w)
	}
	if len(errs) > 0 {
		return fmt.Errorf("annotations: %w", errors.Join(errs...))
	}
	return nil
}

func (p *Publisher) annotate(kind, title, msg string) error {
	return p.cmds.Command(kind, [][2]string{{"title", oneLine(title)}}, msg)
}

// Comment posts or updates the pull-request comment when FTGATE_COMMENT
// is true and the workflow runs for a pull request; otherwise it does
// nothing. The token comes from FTGATE_GITHUB_TOKEN, else GITHUB_TOKEN.
func (p *Publisher) Comment(ctx context.Context, md string) error {
	get := p.opts.Getenv
	on, err := parseBool(get(EnvComment))
	if err != nil {
		return err
	}
	if !on {
		return nil
	}
	n, ok, err := PullRequestNumber(get, p.opts.ReadFile)
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintf(p.opts.Stderr, "ftgate: comment: true, but the event %q is not a pull request; no comment posted\n", get("GITHUB_EVENT_NAME"))
		return nil
	}
	token := get(EnvToken)
	if token == "" {
		token = get("GITHUB_TOKEN")
	}
	c := &Commenter{APIURL: get("GITHUB_API_URL"), Repo: get("GITHUB_REPOSITORY"), Number: n, Token: token, Client: p.opts.HTTPClient}
	body := md
	if run := runURL(get); run != "" {
		body += "\n[Workflow run](" + run + ")\n"
	}
	created, err := c.Upsert(ctx, body)
	if err != nil {
		return err
	}
	verb := "updated"
	if created {
		verb = "posted"
	}
	fmt.Fprintf(p.opts.Stderr, "ftgate: %s the report comment on pull request #%d\n", verb, n)
	return nil
}

// runURL links the workflow run, when the runner's variables are sane.
func runURL(get func(string) string) string {
	server, repo, id := strings.TrimRight(get("GITHUB_SERVER_URL"), "/"), get("GITHUB_REPOSITORY"), get("GITHUB_RUN_ID")
	if !strings.HasPrefix(server, "https://") || strings.ContainsAny(server, " ()<>\"'`\n") || !repoPattern.MatchString(repo) {
		return ""
	}
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return ""
	}
	return server + "/" + repo + "/actions/runs/" + id
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "0", "no", "off":
		return false, nil
	case "true", "1", "yes", "on":
		return true, nil
	}
	return false, fmt.Errorf("%s=%q is not true or false; no comment posted", EnvComment, s)
}
