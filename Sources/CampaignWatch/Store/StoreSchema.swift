import GRDB

/// The database schema as a list of migrations. A migration, once released, never changes: a new
/// step is appended instead, so any older database opens and is brought up to date.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-accounts-posts-alerts") { db in
            try db.execute(sql: """
                CREATE TABLE account (
                    key TEXT PRIMARY KEY NOT NULL,          -- platform:handle
                    platform TEXT NOT NULL,
                    handle TEXT NOT NULL,
                    url TEXT NOT NULL,
                    subject_id TEXT NOT NULL,
                    etag TEXT,
                    last_modified TEXT,
                    last_poll_at REAL,
                    last_success_at REAL,
                    last_status INTEGER,
                    last_error TEXT,
                    last_error_at REAL,
                    failing_since REAL,
                    consecutive_failures INTEGER NOT NULL DEFAULT 0,
                    next_poll_at REAL,
                    redirected_to TEXT,                     -- permanent redirect reported by the server
                    posts_seen INTEGER NOT NULL DEFAULT 0,
                    last_new_post_at REAL,                  -- when a post was last first seen
                    removed_at REAL,                        -- dropped from the configuration; history kept
                    platform_state TEXT,                    -- JSON: e.g. a Mastodon account id, RSS fallback
                    schedule_memory TEXT                    -- JSON: the scheduler's memory across restarts
                );
                CREATE TABLE post (
                    account_key TEXT NOT NULL,
                    post_id TEXT NOT NULL,
                    subject_id TEXT NOT NULL,
                    url TEXT,
                    title TEXT,
                    text TEXT NOT NULL,
                    author TEXT,
                    published_at REAL,
                    updated_at REAL,
                    edited INTEGER NOT NULL DEFAULT 0,
                    edited_at REAL,
                    declared_at REAL,
                    tags TEXT NOT NULL DEFAULT '[]',
                    media TEXT NOT NULL DEFAULT '[]',
                    forwarded_from TEXT,
                    content_sha256 TEXT NOT NULL,
                    first_seen_at REAL NOT NULL,
                    last_seen_at REAL NOT NULL,
                    version_seen_at REAL NOT NULL,          -- when the current content was first seen
                    PRIMARY KEY (account_key, post_id)
                ) WITHOUT ROWID;
                CREATE INDEX post_first_seen ON post(first_seen_at);
                CREATE INDEX post_published ON post(account_key, published_at);
                CREATE TABLE alert (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,                     -- violation | edit | deletion
                    election_id TEXT NOT NULL,
                    period_kind TEXT NOT NULL,
                    subject_id TEXT NOT NULL,
                    account_key TEXT NOT NULL,
                    post_id TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    document BLOB NOT NULL,                 -- the alert object, as spooled
                    spooled_at REAL                         -- NULL while pending
                );
                CREATE INDEX alert_pending ON alert(created_at) WHERE spooled_at IS NULL;
                CREATE INDEX alert_post ON alert(account_key, post_id);
                """)
        }
        return migrator
    }
}
