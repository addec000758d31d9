package actions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Marker is the hidden HTML comment that starts ftgate's pull-request
// comment, by which a later run finds the comment to update.
const Marker = "<!-- ftgate-report -->"

// maxCommentBytes keeps a comment under GitHub's limit of 65,536
// characters with room for the truncation note.
const maxCommentBytes = 60000

// CommentDeadline bounds the whole comment step (finding ftgate's earlier
// comment through every page, then posting or updating it); each request
// also has its own timeout. Past it the comment fails with a warning.
const CommentDeadline = 2 * time.Minute

// requestTimeout bounds one request of a client ftgate makes itself.
const requestTimeout = 30 * time.Second

var repoPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

// A Commenter posts ftgate's report as a pull-request comment through the
// GitHub REST API, updating its own earlier comment instead of adding
// another on every push ("sticky" comment).
type Commenter struct {
	APIURL string // GITHUB_API_URL, e.g. https://api.github.com
	Repo   string // GITHUB_REPOSITORY, owner/name
	Number int    // the pull request's number
	Token  string // never printed
	// Client sends the requests (nil: a client with a 30-second timeout
	// per request). Whatever it is, a redirect to another origin (scheme,
	// host or port) is refused, so the token goes nowhere else.
	Client *http.Client
	// Deadline bounds the whole Upsert (0: CommentDeadline).
	Deadline time.Duration

	client *http.Client // Client, following same-origin redirects only
}

// An APIError is an unsuccessful response of the GitHub API. It never
// holds the token.
type APIError struct {
	Method, Path string
	Status       int
	Message      string // GitHub's "message", if any
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("GitHub API %s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		s += ": " + oneLine(e.Message)
	}
	switch e.Status {
	case http.StatusUnauthorized:
		s += " (the github-token input is missing or expired)"
	case http.StatusForbidden:
		s += " (the job needs 'permissions: pull-requests: write', and pull requests from forks get a read-only token)"
	case http.StatusNotFound:
		s += " (the repository or pull request does not exist, or the token cannot see it)"
	}
	return s
}

type ghComment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
	User struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"user"`
}

// Upsert updates ftgate's earlier comment on the pull request with body,
// or creates one when there is none; it reports whether it created one.
// Only a comment written by the token's own identity is ever updated (see
// find). body is prefixed with Marker and cut to GitHub's size limit.
func (c *Commenter) Upsert(ctx context.Context, body string) (created bool, err error) {
	base, err := c.base()
	if err != nil {
		return false, err
	}
	deadline := c.Deadline
	if deadline <= 0 {
		deadline = CommentDeadline
	}
	ctx, cancel := context.WithTimeoutCause(ctx, deadline, fmt.Errorf("the comment step took longer than %v", deadline))
	defer cancel()
	c.client = sameOriginClient(c.Client)
	body = Marker + "\n" + truncateMarkdown(body, maxCommentBytes-len(Marker)-1)
	id, err := c.find(ctx, base, c.identity(ctx, base))
	if err != nil {
		return false, err
	}
	payload := map[string]string{"body": body}
	if id != 0 {
		err := c.do(ctx, http.MethodPatch, base.JoinPath("repos", c.Repo, "issues", "comments", strconv.FormatInt(id, 10)).String(), payload, nil)
		var ae *APIError
		if err == nil || !errors.As(err, &ae) || (ae.Status != http.StatusNotFound && ae.Status != http.StatusForbidden) {
			return false, err
		}
		// The comment was deleted meanwhile, or is not ours to edit:
		// post a new one.
	}
	err = c.do(ctx, http.MethodPost, base.JoinPath("repos", c.Repo, "issues", strconv.Itoa(c.Number), "comments").String(), payload, nil)
	return err == nil, err
}

func (c *Commenter) base() (*url.URL, error) {
	if c.Token == "" {
		return nil, errors.New("no GitHub token (set the github-token input, or GITHUB_TOKEN)")
	}
	if !repoPattern.MatchString(c.Repo) {
		return nil, fmt.Errorf("GITHUB_REPOSITORY %q is not owner/name", c.Repo)
	}
	if c.Number <= 0 {
		return nil, fmt.Errorf("pull request number %d is not valid", c.Number)
	}
	api := c.APIURL
	if api == "" {
		api = "https://api.github.com"
	}
	u, err := url.Parse(strings.TrimRight(api, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("GITHUB_API_URL %q is not an http(s) URL", api)
	}
	return u, nil
}

// ActionsBot is the login of the identity behind the GITHUB_TOKEN that
// GitHub Actions gives each job.
const ActionsBot = "github-actions[bot]"

// identity returns the login that ftgate's own comments carry: the token's
// user when GET /user answers (a personal access token), else the
// github-actions bot (GET /user is refused to the GITHUB_TOKEN with 403
// "Resource not accessible by integration").
func (c *Commenter) identity(ctx context.Context, base *url.URL) string {
	var me struct {
		Login string `json:"login"`
	}
	if _, err := c.get(ctx, base.JoinPath("user").String(), &me); err == nil && me.Login != "" {
		return me.Login
	}
	return ActionsBot
}

// find returns the id of ftgate's earlier comment, or 0: the oldest
// comment that starts with Marker and whose author is login, exactly. The
// marker alone proves nothing (anyone can type it), so a comment by anyone
// else is never chosen: a pull request's author who posts the marker first
// must not have ftgate write its verdict into a comment they can edit
// back to a fake PASS.
func (c *Commenter) find(ctx context.Context, base *url.URL, login string) (int64, error) {
	next := base.JoinPath("repos", c.Repo, "issues", strconv.Itoa(c.Number), "comments")
	next.RawQuery = "per_page=100"
	// Every page is read, however many (the deadline bounds the step);
	// a page seen before ends the walk instead of looping.
	seen := map[string]bool{}
	for next != nil && !seen[next.String()] {
		seen[next.String()] = true
		var batch []ghComment
		link, err := c.get(ctx, next.String(), &batch)
		if err != nil {
			return 0, err
		}
		for _, cm := range batch {
			if cm.User.Login == login && strings.HasPrefix(cm.Body, Marker) {
				return cm.ID, nil
			}
		}
		next = nextLink(link, base)
	}
	return 0, nil
}

// nextLink returns the rel="next" URL of a Link header, if it is on the
// same host as the API (the token is never sent anywhere else).
func nextLink(header string, base *url.URL) *url.URL {
	for _, part := range strings.Split(header, ",") {
		seg := strings.Split(part, ";")
		if len(seg) < 2 {
			continue
		}
		target := strings.TrimSpace(seg[0])
		if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
			continue
		}
		isNext := false
		for _, p := range seg[1:] {
			if strings.ReplaceAll(strings.TrimSpace(p), " ", "") == `rel="next"` {
				isNext = true
			}
		}
		if !isNext {
			continue
		}
		u, err := url.Parse(target[1 : len(target)-1])
		if err != nil || u.Scheme != base.Scheme || u.Host != base.Host {
			return nil
		}
		return u
	}
	return nil
}

func (c *Commenter) get(ctx context.Context, u string, out any) (link string, err error) {
	var hdr http.Header
	err = c.do(ctx, http.MethodGet, u, nil, func(h http.Header, body io.Reader) error {
		hdr = h
		return json.NewDecoder(body).Decode(out)
	})
	if hdr != nil {
		link = hdr.Get("Link")
	}
	return link, err
}

// do sends one API request with a JSON payload and hands a successful
// response to read.
func (c *Commenter) do(ctx context.Context, method, u string, payload any, read func(http.Header, io.Reader) error) error {
	var body io.Reader
	if payload != nil {
		data, err := json.Marshal(payload)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", "ftgate")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	client := c.client
	if client == nil {
		client = sameOriginClient(c.Client)
	}
	resp, err := client.Do(req)
	if err != nil {
		if cause := context.Cause(ctx); cause != nil && ctx.Err() != nil {
			err = cause
		}
		// *url.Error holds the URL, never the headers.
		return fmt.Errorf("GitHub API %s %s: %w", method, req.URL.Path, unwrapURLError(err))
	}
	defer resp.Body.Close()
	limited := io.LimitReader(resp.Body, 16<<20)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var msg struct {
			Message string `json:"message"`
		}
		json.NewDecoder(io.LimitReader(limited, 64<<10)).Decode(&msg)
		return &APIError{Method: method, Path: req.URL.Path, Status: resp.StatusCode, Message: msg.Message}
	}
	if read != nil {
		if err := read(resp.Header, limited); err != nil {
			return fmt.Errorf("GitHub API %s %s: reading the response: %w", method, req.URL.Path, err)
		}
	}
	io.Copy(io.Discard, limited)
	return nil
}

// sameOriginClient returns a copy of client (nil: a new one with a
// per-request timeout) that follows a redirect only to the origin of the
// request (same scheme, host and port): the Authorization header would
// otherwise go along to wherever the API, or someone in between, points.
func sameOriginClient(client *http.Client) *http.Client {
	var c http.Client
	if client != nil {
		c = *client
	} else {
		c.Timeout = requestTimeout
	}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
			return fmt.Errorf("redirected to %s://%s, another origin than %s://%s; not followed, so the token is not sent there",
				req.URL.Scheme, req.URL.Host, first.Scheme, first.Host)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &c
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// truncateMarkdown cuts md to at most max bytes at a line break, closes a
// code fence left open by the cut, and says that it was cut.
func truncateMarkdown(md string, max int) string {
	if len(md) <= max {
		return md
	}
	const note = "\n\n_… cut to fit; the whole report is in the job summary and the JSON report._\n"
	cut := md[:max-len(note)-8]
	if i := strings.LastIndexByte(cut, '\n'); i > 0 {
		cut = cut[:i]
	}
	fences := 0
	for _, line := range strings.Split(cut, "\n") {
		if strings.HasPrefix(line, "```") {
			fences++
		}
	}
	if fences%2 == 1 {
		cut += "\n```"
	}
	return cut + note
}

// PullRequestNumber returns the number of the pull request that triggered
// the workflow, from the event payload at GITHUB_EVENT_PATH, and false
// when the event is not about a pull request.
func PullRequestNumber(getenv func(string) string, readFile func(string) ([]byte, error)) (int, bool, error) {
	switch getenv("GITHUB_EVENT_NAME") {
	case "pull_request", "pull_request_target":
	default:
		return 0, false, nil
	}
	path := getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return 0, false, errors.New("GITHUB_EVENT_PATH is not set")
	}
	data, err := readFile(path)
	if err != nil {
		return 0, false, fmt.Errorf("reading the event payload: %w", err)
	}
	var ev struct {
		Number      int `json:"number"`
		PullRequest struct {
			Number int `json:"number"`
		} `json:"pull_request"`
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		return 0, false, fmt.Errorf("the event payload %s is not JSON: %w", path, err)
	}
	n := ev.PullRequest.Number
	if n == 0 {
		n = ev.Number
	}
	if n <= 0 {
		return 0, false, fmt.Errorf("the event payload %s has no pull request number", path)
	}
	return n, true, nil
}
