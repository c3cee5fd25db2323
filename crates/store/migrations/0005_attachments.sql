-- Attachments to an application's question-and-answer thread (a policy document, a regioplan, a
-- certificate): bounded in size and type by the use case, stored whole in the database so that
-- a backup of the database is a backup of everything.
CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    author_id      INTEGER NOT NULL REFERENCES users (id),
    file_name      TEXT    NOT NULL,
    content_type   TEXT    NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'text/plain')),
    size_bytes     INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256         TEXT    NOT NULL CHECK (length(sha256) = 64),
    content_hex    TEXT    NOT NULL,            -- the bytes as hex (the common dialect has no blobs)
    created_at     TEXT    NOT NULL
);
CREATE INDEX attachments_application ON attachments (application_id);
