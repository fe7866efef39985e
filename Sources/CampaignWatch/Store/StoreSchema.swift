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
        migrator.registerMigration("v2-evidence-versions-chain") { db in
            try db.execute(sql: """
                ALTER TABLE post ADD COLUMN missing_since REAL;     -- absent from a poll that covered its time
                ALTER TABLE post ADD COLUMN deleted_at REAL;        -- absence confirmed by a second poll
                CREATE INDEX post_missing ON post(account_key) WHERE missing_since IS NOT NULL AND deleted_at IS NULL;
                CREATE TABLE post_version (
                    account_key TEXT NOT NULL,
                    post_id TEXT NOT NULL,
                    content_sha256 TEXT NOT NULL,
                    first_seen_at REAL NOT NULL,
                    last_seen_at REAL,                      -- NULL while current: then post.last_seen_at
                    edited INTEGER NOT NULL DEFAULT 0,
                    edited_at REAL,
                    title TEXT,
                    text TEXT NOT NULL,
                    media TEXT NOT NULL DEFAULT '[]',
                    raw_sha256 TEXT,                        -- the item's bytes in the archive
                    response_sha256 TEXT,                   -- the whole response they came in
                    response_url TEXT,
                    chain_seq INTEGER,                      -- the link that recorded this version
                    PRIMARY KEY (account_key, post_id, content_sha256)
                ) WITHOUT ROWID;
                INSERT INTO post_version (account_key, post_id, content_sha256, first_seen_at, edited, edited_at,
                    title, text, media)
                SELECT account_key, post_id, content_sha256, version_seen_at, edited, edited_at, title, text, media FROM post;
                CREATE TABLE chain (
                    seq INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    event TEXT NOT NULL,
                    account_key TEXT,
                    post_id TEXT,
                    alert_id TEXT,
                    line TEXT NOT NULL,                     -- what the hash covers (ChainLink)
                    hash TEXT NOT NULL
                );
                CREATE INDEX chain_post ON chain(account_key, post_id) WHERE post_id IS NOT NULL;
                CREATE INDEX chain_alert ON chain(alert_id) WHERE alert_id IS NOT NULL;
                CREATE TABLE chain_timestamp (
                    chain_seq INTEGER PRIMARY KEY,          -- the head that was timestamped
                    chain_hash TEXT NOT NULL,
                    requested_at REAL NOT NULL,
                    tsa_url TEXT NOT NULL,
                    token BLOB NOT NULL                     -- DER TimeStampToken (RFC 3161)
                );
                """)
        }
        migrator.registerMigration("v3-evidence-packs") { db in
            // Where a version's objects lie in the packs (NULL: a loose file, as archives written
            // before packs keep them). Kept on the version rather than in a table keyed by
            // SHA-256: random keys would dirty a page of their own per object in every poll.
            try db.execute(sql: """
                ALTER TABLE post_version ADD COLUMN raw_pack INTEGER;       -- evidence/pack/NNNNNN.pack
                ALTER TABLE post_version ADD COLUMN raw_offset INTEGER;     -- where its gzip member starts
                ALTER TABLE post_version ADD COLUMN raw_length INTEGER;     -- the gzip member's size
                ALTER TABLE post_version ADD COLUMN response_pack INTEGER;
                ALTER TABLE post_version ADD COLUMN response_offset INTEGER;
                ALTER TABLE post_version ADD COLUMN response_length INTEGER;
                CREATE TABLE evidence_pack (
                    pack INTEGER PRIMARY KEY,
                    recorded_end INTEGER NOT NULL           -- where the last record named here ends
                );
                """)
        }
        return migrator
    }
}
