package actions

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftgate/ftgate/gate"
)

const testToken = "ghs_secretTOKEN123"

// fakeGitHub plays the part of the REST API for one pull request's
// comments. fail maps "METHOD /path" to a status to answer with instead.
// login is the token's user, as GET /user answers for a personal access
// token; empty plays the GITHUB_TOKEN, which GET /user refuses and whose
// comments are github-actions[bot]'s.
type fakeGitHub struct {
	t        *testing.T
	login    string
	mu       sync.Mutex
	comments []ghComment
	nextID   int64
	fail     map[string]int
	requests []string
	pageSize int
}

func newFakeGitHub(t *testing.T) (*fakeGitHub, *httptest.Server) {
	f := &fakeGitHub{t: t, nextID: 100, fail: map[string]int{}, pageSize: 2}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeGitHub) add(body, login, typ string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	c := ghComment{ID: f.nextID, Body: body}
	c.User.Login, c.User.Type = login, typ
	f.comments = append(f.comments, c)
	return c.ID
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := r.Method + " " + r.URL.Path
	f.requests = append(f.requests, key)
	if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Bad credentials"}`)
		return
	}
	if r.Header.Get("X-GitHub-Api-Version") == "" || !strings.Contains(r.Header.Get("Accept"), "github") {
		f.t.Errorf("%s: missing API headers", key)
	}
	if status, ok := f.fail[key]; ok {
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"message":"simulated %d"}`, status)
		return
	}
	var in struct{ Body string }
	if r.Method == http.MethodPost || r.Method == http.MethodPatch {
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			f.t.Errorf("%s: body: %v", key, err)
		}
	}
	author, authorType := ActionsBot, "Bot"
	if f.login != "" {
		author, authorType = f.login, "User"
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/user":
		if f.login == "" {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"Resource not accessible by integration"}`)
			return
		}
		fmt.Fprintf(w, `{"login":%q,"type":"User"}`, f.login)
	case r.Method == http.MethodGet && r.URL.Path == "/repos/o/r/issues/7/comments":
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		lo := min((page-1)*f.pageSize, len(f.comments))
		hi := min(lo+f.pageSize, len(f.comments))
		if hi < len(f.comments) {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s/repos/o/r/issues/7/comments?per_page=100&page=%d>; rel="next", <http://%s/x>; rel="last"`, r.Host, page+1, r.Host))
		}
		json.NewEncoder(w).Encode(f.comments[lo:hi])
	case r.Method == http.MethodPost && r.URL.Path == "/repos/o/r/issues/7/comments":
		f.nextID++
		c := ghComment{ID: f.nextID, Body: in.Body}
		c.User.Login, c.User.Type = author, authorType
		f.comments = append(f.comments, c)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(c)
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/repos/o/r/issues/comments/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/repos/o/r/issues/comments/"), 10, 64)
		for i := range f.comments {
			if f.comments[i].ID == id {
				f.comments[i].Body = in.Body
				json.NewEncoder(w).Encode(f.comments[i])
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found"}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found"}`)
	}
}

func commenter(srv *httptest.Server) *Commenter {
	return &Commenter{APIURL: srv.URL, Repo: "o/r", Number: 7, Token: testToken, Client: srv.Client()}
}

func TestCommentCreateThenUpdate(t *testing.T) {
	t.Parallel()
	gh, srv := newFakeGitHub(t)
	gh.add("first!", "alice", "User")
	gh.add("> "+Marker+" quoted by a person", "bob", "User")
	gh.add("lgtm", "carol", "User")
	c := commenter(srv)

	created, err := c.Upsert(context.Background(), "report one")
	if err != nil || !created {
		t.Fatalf("first Upsert: created %v, err %v", created, err)
	}
	gh.add("more talk", "alice", "User")
	gh.add("and more", "bob", "User")
	created, err = c.Upsert(context.Background(), "report two")
	if err != nil || created {
		t.Fatalf("second Upsert: created %v, err %v", created, err)
	}
	var ours []ghComment
	for _, cm := range gh.comments {
		if strings.HasPrefix(cm.Body, Marker) {
			ours = append(ours, cm)
		}
	}
	if len(ours) != 1 || ours[0].Body != Marker+"\nreport two" {
		t.Errorf("ftgate comments after two runs: %+v", ours)
	}
	if gh.comments[1].Body != "> "+Marker+" quoted by a person" {
		t.Errorf("a person's comment was changed: %q", gh.comments[1].Body)
	}
	// The second run had to page through three pages of comments.
	pages := 0
	for _, r := range gh.requests {
		if r == "GET /repos/o/r/issues/7/comments" {
			pages++
		}
	}
	if pages < 4 {
		t.Errorf("%d list requests in two runs, want pagination: %q", pages, gh.requests)
	}
}

// patched lists the ids of the comments that were PATCHed.
func (f *fakeGitHub) patched() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for _, r := range f.requests {
		if id, ok := strings.CutPrefix(r, "PATCH /repos/o/r/issues/comments/"); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

func (f *fakeGitHub) body(id int64) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, cm := range f.comments {
		if cm.ID == id {
			return cm.Body
		}
	}
	return ""
}

// TestCommentNeverTakesOverAnotherAuthorsComment: a pull request's author
// can post the marker before ftgate ever runs. ftgate must not write its
// report into that comment (its author could edit it into a fake PASS),
// nor into one by another bot or app; it posts its own instead.
func TestCommentNeverTakesOverAnotherAuthorsComment(t *testing.T) {
	t.Parallel()
	gh, srv := newFakeGitHub(t)
	attacker := gh.add(Marker+"\n## ✅ ftgate: PASS", "mallory", "User")
	app := gh.add(Marker+"\n## ✅ ftgate: PASS", "mallory-app[bot]", "Bot")
	lookalike := gh.add(Marker+"\nold", "github-actions", "User")
	c := commenter(srv)
	created, err := c.Upsert(context.Background(), "report one")
	if err != nil || !created {
		t.Fatalf("first Upsert: created %v, err %v", created, err)
	}
	created, err = c.Upsert(context.Background(), "report two")
	if err != nil || created {
		t.Fatalf("second Upsert: created %v, err %v (want its own comment updated)", created, err)
	}
	for id, want := range map[int64]string{attacker: Marker + "\n## ✅ ftgate: PASS", app: Marker + "\n## ✅ ftgate: PASS", lookalike: Marker + "\nold"} {
		if got := gh.body(id); got != want {
			t.Errorf("comment %d by another author was overwritten: %q", id, got)
		}
	}
	if got := gh.patched(); len(got) != 1 || got[0] != strconv.FormatInt(gh.comments[len(gh.comments)-1].ID, 10) {
		t.Errorf("PATCHed %q, want only ftgate's own comment", got)
	}
	if last := gh.comments[len(gh.comments)-1]; last.User.Login != ActionsBot || last.Body != Marker+"\nreport two" {
		t.Errorf("ftgate's comment: %+v", last)
	}
}

func TestCommentUpdatesTheBotsComment(t *testing.T) {
	t.Parallel()
	gh, srv := newFakeGitHub(t)
	person := gh.add(Marker+"\nold report pasted by a person", "alice", "User")
	quoted := gh.add("> "+Marker+"\nquoted by the bot itself", ActionsBot, "Bot")
	bot := gh.add(Marker+"\nold report", ActionsBot, "Bot")
	created, err := commenter(srv).Upsert(context.Background(), "new")
	if err != nil || created {
		t.Fatalf("created %v, err %v", created, err)
	}
	if !strings.Contains(gh.body(person), "pasted") || !strings.Contains(gh.body(quoted), "quoted") {
		t.Errorf("a comment without the marker at its start, or by a person, was overwritten")
	}
	if got := gh.body(bot); got != Marker+"\nnew" {
		t.Errorf("the bot's comment was not updated: %q", got)
	}
	if got := gh.patched(); len(got) != 1 || got[0] != strconv.FormatInt(bot, 10) {
		t.Errorf("PATCHed %q, want only %d", got, bot)
	}
}

// TestCommentPersonalAccessToken: with a PAT, GET /user names the token's
// user, whose comment is the one to update, and the github-actions bot's
// is someone else's.
func TestCommentPersonalAccessToken(t *testing.T) {
	t.Parallel()
	gh, srv := newFakeGitHub(t)
	gh.login = "release-bot"
	actions := gh.add(Marker+"\nby the Actions bot", ActionsBot, "Bot")
	other := gh.add(Marker+"\nby a person", "mallory", "User")
	mine := gh.add(Marker+"\nold", "release-bot", "User")
	created, err := commenter(srv).Upsert(context.Background(), "new")
	if err != nil || created {
		t.Fatalf("created %v, err %v", created, err)
	}
	if gh.body(mine) != Marker+"\nnew" || gh.body(actions) != Marker+"\nby the Actions bot" || gh.body(other) != Marker+"\nby a person" {
		t.Errorf("comments: %+v", gh.comments)
	}
	if got := gh.requests[0]; got != "GET /user" {
		t.Errorf("first request %q, want GET /user", got)
	}

	// Without a comment of its own it posts one, as the token's user.
	gh2, srv2 := newFakeGitHub(t)
	gh2.login = "release-bot"
	gh2.add(Marker+"\nold", ActionsBot, "Bot")
	if created, err := commenter(srv2).Upsert(context.Background(), "new"); err != nil || !created {
		t.Fatalf("created %v, err %v", created, err)
	}
	if len(gh2.patched()) != 0 || gh2.comments[1].User.Login != "release-bot" {
		t.Errorf("comments: %+v, PATCHed %q", gh2.comments, gh2.patched())
	}
}

func TestCommentErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		fail     map[string]int
		existing bool
		want     string // in the error; "" for success
		created  bool
	}{
		{"list forbidden", map[string]int{"GET /repos/o/r/issues/7/comments": 403}, false, "403 Forbidden: simulated 403 (the job needs 'permissions: pull-requests: write'", false},
		{"list not found", map[string]int{"GET /repos/o/r/issues/7/comments": 404}, false, "404 Not Found", false},
		{"create fails", map[string]int{"POST /repos/o/r/issues/7/comments": 500}, false, "500 Internal Server Error: simulated 500", false},
		{"update not found falls back to create", map[string]int{"PATCH /repos/o/r/issues/comments/101": 404}, true, "", true},
		{"update forbidden falls back to create", map[string]int{"PATCH /repos/o/r/issues/comments/101": 403}, true, "", true},
		{"update fails", map[string]int{"PATCH /repos/o/r/issues/comments/101": 500}, true, "PATCH /repos/o/r/issues/comments/101: 500", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gh, srv := newFakeGitHub(t)
			if tc.existing {
				gh.add(Marker+"\nold", ActionsBot, "Bot")
			}
			gh.fail = tc.fail
			created, err := commenter(srv).Upsert(context.Background(), "body")
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
			if created != tc.created {
				t.Errorf("created = %v, want %v", created, tc.created)
			}
			if err != nil && strings.Contains(err.Error(), testToken) {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}

func TestCommentBadCredentialsAndConfig(t *testing.T) {
	t.Parallel()
	_, srv := newFakeGitHub(t)
	c := commenter(srv)
	c.Token = "wrong"
	if _, err := c.Upsert(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("bad token: %v", err)
	}
	for _, bad := range []*Commenter{
		{APIURL: srv.URL, Repo: "o/r", Number: 7},
		{APIURL: srv.URL, Repo: "o/r/../../x", Number: 7, Token: testToken},
		{APIURL: "file:///etc", Repo: "o/r", Number: 7, Token: testToken},
		{APIURL: srv.URL, Repo: "o/r", Number: 0, Token: testToken},
	} {
		if _, err := bad.Upsert(context.Background(), "x"); err == nil {
			t.Errorf("%+v: no error", *bad)
		}
	}
}

func TestNextLinkStaysOnTheAPIHost(t *testing.T) {
	t.Parallel()
	base := mustURL(t, "https://api.github.com")
	if u := nextLink(`<https://api.github.com/x?page=2>; rel="next"`, base); u == nil || u.String() != "https://api.github.com/x?page=2" {
		t.Errorf("same host: %v", u)
	}
	if u := nextLink(`<https://evil.example/x?page=2>; rel="next"`, base); u != nil {
		t.Errorf("followed a link to another host: %v", u)
	}
	if u := nextLink(`<https://api.github.com/x?page=9>; rel="last"`, base); u != nil {
		t.Errorf("followed rel=last: %v", u)
	}
}

func TestTruncateMarkdown(t *testing.T) {
	t.Parallel()
	md := "# title\n```mermaid\n" + strings.Repeat("line\n", 1000) + "```\n"
	got := truncateMarkdown(md, 500)
	if len(got) > 500 || strings.Count(got, "```")%2 != 0 || !strings.Contains(got, "cut to fit") {
		t.Errorf("truncated to %d bytes, %d fences:\n%s", len(got), strings.Count(got, "```"), got)
	}
	if truncateMarkdown("short", 500) != "short" {
		t.Errorf("short text changed")
	}
}

func TestPullRequestNumber(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pr := write("pr.json", `{"action":"synchronize","number":42,"pull_request":{"number":42}}`)
	bad := write("bad.json", `{"action":"x"}`)
	for _, tc := range []struct {
		event, path string
		n           int
		ok, err     bool
	}{
		{"pull_request", pr, 42, true, false},
		{"pull_request_target", pr, 42, true, false},
		{"push", pr, 0, false, false},
		{"pull_request", bad, 0, false, true},
		{"pull_request", filepath.Join(dir, "missing.json"), 0, false, true},
	} {
		env := map[string]string{"GITHUB_EVENT_NAME": tc.event, "GITHUB_EVENT_PATH": tc.path}
		n, ok, err := PullRequestNumber(func(k string) string { return env[k] }, os.ReadFile)
		if n != tc.n || ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("%s %s: %d %v %v", tc.event, filepath.Base(tc.path), n, ok, err)
		}
	}
}

// TestPublishCommentFailureIsAWarning drives the whole Publish with
// FTGATE_COMMENT=true against a failing API: the outputs, summary and
// annotations are still written, and the error names the problem.
func TestPublishCommentFailureIsAWarning(t *testing.T) {
	t.Parallel()
	gh, srv := newFakeGitHub(t)
	gh.fail["GET /repos/o/r/issues/7/comments"] = 403
	event := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(event, []byte(`{"pull_request":{"number":7}}`), 0o644)
	getenv, outFile, _ := fakeEnv(t, map[string]string{
		EnvComment: "true", EnvToken: testToken, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event,
		"GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": srv.URL,
	})
	var stdout, stderr bytes.Buffer
	p := New(Options{Getenv: getenv, Stdout: &stdout, Stderr: &stderr, HTTPClient: srv.Client()})
	err := p.Publish(context.Background(), Result{Decision: decision(gate.Pass, 0)})
	if err == nil || !strings.Contains(err.Error(), "pull-request comment: GitHub API GET /repos/o/r/issues/7/comments: 403") {
		t.Errorf("error %v", err)
	}
	if parseOutputFile(t, outFile)["verdict"] != "pass" {
		t.Errorf("outputs not written")
	}
	// The failure is also an annotation, where reviewers look.
	var commentWarnings []command
	for _, c := range runnerCommands(t, stdout.String()) {
		if c.props["title"] == "ftgate comment" {
			commentWarnings = append(commentWarnings, c)
		}
	}
	if len(commentWarnings) != 1 || commentWarnings[0].name != "warning" ||
		!strings.Contains(commentWarnings[0].data, "pull-request comment: GitHub API GET /repos/o/r/issues/7/comments: 403") {
		t.Errorf("comment warning annotations %+v\nstdout:\n%s", commentWarnings, stdout.String())
	}
	if strings.Contains(stdout.String()+stderr.String()+fmt.Sprint(err), testToken) {
		t.Errorf("the token was printed")
	}

	// And with a working API the comment is posted, with a link to the run.
	gh.fail = map[string]int{}
	getenv2, _, _ := fakeEnv(t, map[string]string{
		EnvComment: "true", "GITHUB_TOKEN": testToken, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event,
		"GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": srv.URL, "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "99",
	})
	stderr.Reset()
	p = New(Options{Getenv: getenv2, Stdout: io.Discard, Stderr: &stderr, HTTPClient: srv.Client()})
	if err := p.Publish(context.Background(), Result{Decision: decision(gate.Pass, 0)}); err != nil {
		t.Fatal(err)
	}
	if len(gh.comments) != 1 || !strings.HasPrefix(gh.comments[0].Body, Marker+"\n## ✅ ftgate: PASS") ||
		!strings.Contains(gh.comments[0].Body, "(https://github.com/o/r/actions/runs/99)") {
		t.Errorf("comments: %+v", gh.comments)
	}
	if !strings.Contains(stderr.String(), "posted the report comment on pull request #7") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

func TestCommentOffOrNotAPullRequest(t *testing.T) {
	t.Parallel()
	for _, env := range []map[string]string{
		{EnvComment: "false", "GITHUB_EVENT_NAME": "pull_request"},
		{EnvComment: "", "GITHUB_EVENT_NAME": "pull_request"},
		{EnvComment: "true", "GITHUB_EVENT_NAME": "push"},
	} {
		var stderr bytes.Buffer
		p := New(Options{Getenv: func(k string) string { return env[k] }, Stderr: &stderr})
		if err := p.Comment(context.Background(), "x"); err != nil {
			t.Errorf("%v: %v", env, err)
		}
	}
	p := New(Options{Getenv: func(k string) string { return map[string]string{EnvComment: "maybe"}[k] }})
	if err := p.Comment(context.Background(), "x"); err == nil {
		t.Errorf("comment: maybe was accepted")
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A redirect to another origin is refused: the token never reaches it,
// whatever the API (or someone in between) answers. A same-origin
// redirect (GitHub's for a renamed repository) is followed.
func TestCommentTokenNeverLeavesTheOrigin(t *testing.T) {
	t.Parallel()
	var leaked sync.Map
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			leaked.Store(r.URL.Path, a)
		}
		w.WriteHeader(http.StatusNotFound)
	}))
	defer other.Close()
	f, api := newFakeGitHub(t)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/repos/o/r/issues/7/comments", "/user":
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
		default:
			f.ServeHTTP(w, r)
		}
	}))
	defer redirector.Close()
	c := &Commenter{APIURL: redirector.URL, Repo: "o/r", Number: 7, Token: testToken, Client: redirector.Client()}
	_, err := c.Upsert(context.Background(), "report")
	if err == nil || !strings.Contains(err.Error(), "another origin") || strings.Contains(err.Error(), testToken) {
		t.Errorf("Upsert through a cross-origin redirect: %v", err)
	}
	leaked.Range(func(k, v any) bool {
		t.Errorf("the token reached another origin at %v", k)
		return true
	})
	// The same server on another port is another origin too.
	u := mustURL(t, api.URL)
	if got := sameOriginClient(nil).CheckRedirect(&http.Request{URL: mustURL(t, "http://"+u.Hostname()+":1"+"/x")}, []*http.Request{{URL: u}}); got == nil {
		t.Error("a redirect to another port was allowed")
	}
	if got := sameOriginClient(nil).CheckRedirect(&http.Request{URL: mustURL(t, api.URL+"/y")}, []*http.Request{{URL: u}}); got != nil {
		t.Errorf("a same-origin redirect was refused: %v", got)
	}
}

// ftgate's own comment is found however many pages come before it: no
// second comment after page 100.
func TestCommentFoundPastPage100(t *testing.T) {
	t.Parallel()
	f, srv := newFakeGitHub(t)
	f.pageSize = 1
	for i := range 130 {
		f.add(fmt.Sprintf("comment %d", i), "someone", "User")
	}
	own := f.add(Marker+"\nold report", ActionsBot, "Bot")
	created, err := commenter(srv).Upsert(context.Background(), "new report")
	if err != nil || created {
		t.Fatalf("created %v, err %v", created, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.comments) != 131 || f.comments[130].ID != own || !strings.Contains(f.comments[130].Body, "new report") {
		t.Errorf("%d comments; ours: %q", len(f.comments), f.comments[len(f.comments)-1].Body)
	}
}

// One deadline bounds the whole comment step, however slow each answer.
func TestCommentDeadline(t *testing.T) {
	t.Parallel()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	}))
	defer slow.Close()
	c := &Commenter{APIURL: slow.URL, Repo: "o/r", Number: 7, Token: testToken, Client: slow.Client(), Deadline: 200 * time.Millisecond}
	_, err := c.Upsert(context.Background(), "report")
	if err == nil || !strings.Contains(err.Error(), "the comment step took longer than 200ms") {
		t.Errorf("Upsert against a server that never answers: %v", err)
	}
}
