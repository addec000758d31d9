package gate

// DocsURL is where the repository publishes ftgate's documentation, the
// folder docs/ on the main branch. Messages point there rather than to a
// path in a checkout, which a user of a release binary does not have.
const DocsURL = "https://github.com/ftgate/ftgate/blob/main/docs/"
