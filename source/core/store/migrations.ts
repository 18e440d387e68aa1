/**
 * Schema migrations, applied in order of `version` to databases whose `user_version` is lower.
 * Never edit a released migration: add a new one. Versions are spaced so that features can add
 * their own without renumbering.
 */
export const migrations: ReadonlyArray<{version: number; sql: string}> = [
	{
		version: 1,
		sql: `
CREATE TABLE events (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	ts TEXT NOT NULL,
	type TEXT NOT NULL,
	agent TEXT,
	data TEXT NOT NULL
);
CREATE INDEX events_type ON events(type, id);
CREATE TABLE service_state (
	name TEXT PRIMARY KEY,
	status TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '{}',
	updated_at TEXT NOT NULL
);
CREATE TABLE agents (
	name TEXT PRIMARY KEY,
	type TEXT NOT NULL DEFAULT 'worker',
	state TEXT NOT NULL,
	window TEXT,
	pid INTEGER,
	started_at TEXT,
	restarts INTEGER NOT NULL DEFAULT 0,
	last_activity TEXT,
	detail TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE heartbeats (
	agent TEXT PRIMARY KEY,
	ts TEXT NOT NULL
);
CREATE TABLE messages (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	ts TEXT NOT NULL,
	from_addr TEXT NOT NULL,
	to_addr TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT,
	task_status TEXT NOT NULL DEFAULT 'submitted',
	state TEXT NOT NULL DEFAULT 'pending',
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL DEFAULT 0,
	last_error TEXT,
	delivered_at TEXT,
	maybe_duplicate INTEGER NOT NULL DEFAULT 0,
	source_line INTEGER
);
CREATE INDEX messages_state ON messages(state, next_attempt_at);
CREATE TABLE ingest_offsets (
	source TEXT PRIMARY KEY,
	dev INTEGER,
	ino INTEGER,
	offset INTEGER NOT NULL,
	line INTEGER NOT NULL DEFAULT 0,
	updated_at TEXT NOT NULL
);
CREATE TABLE alerts (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	ts TEXT NOT NULL,
	file TEXT NOT NULL,
	count INTEGER NOT NULL,
	sample TEXT NOT NULL,
	attachment TEXT
);
`,
	},
	{
		// Mailbox: where in the pane a delivery started (for checking it after a crash), and the
		// per-recipient queue order.
		version: 30,
		sql: `
ALTER TABLE messages ADD COLUMN delivery_mark TEXT;
CREATE INDEX messages_queue ON messages(to_addr, state, seq);
`,
	},
	{
		// Log alerts: a cooldown window's counted-but-unreported matches (and a match still waiting
		// for continuation lines), stored in the same transaction as the read position, and alerts
		// handed to the alerter but not yet written (the outbox), so a crash loses neither.
		version: 40,
		sql: `
CREATE TABLE alert_windows (
	source TEXT PRIMARY KEY,
	ends_at INTEGER,
	count INTEGER NOT NULL DEFAULT 0,
	first_at INTEGER,
	last_at INTEGER,
	matches TEXT NOT NULL DEFAULT '[]',
	open_group TEXT,
	updated_at TEXT NOT NULL
);
CREATE TABLE alert_outbox (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	source TEXT NOT NULL,
	batch TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX alert_outbox_source ON alert_outbox(source, id);
`,
	},
	{
		// Store bounds (issue 14): running totals kept by triggers in the row change's own
		// transaction (so reports never count(*)), seeded from the rows already there; indexes
		// for the alert reads, dead letters and retention's walk over finished messages.
		version: 130,
		sql: `
CREATE TABLE counters (
	grp TEXT NOT NULL,
	key TEXT NOT NULL,
	stored INTEGER NOT NULL DEFAULT 0,
	total INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (grp, key)
) WITHOUT ROWID;
INSERT INTO counters (grp, key, stored, total) SELECT 'events', type, count(*), count(*) FROM events GROUP BY type;
INSERT INTO counters (grp, key, stored, total) SELECT 'messages', state, count(*), count(*) FROM messages GROUP BY state;
INSERT INTO counters (grp, key, stored, total) SELECT 'alerts', '', count(*), count(*) FROM alerts;
CREATE TRIGGER events_counted AFTER INSERT ON events BEGIN
	INSERT INTO counters (grp, key, stored, total) VALUES ('events', new.type, 1, 1)
		ON CONFLICT (grp, key) DO UPDATE SET stored = stored + 1, total = total + 1;
END;
CREATE TRIGGER events_uncounted AFTER DELETE ON events BEGIN
	UPDATE counters SET stored = stored - 1 WHERE grp = 'events' AND key = old.type;
END;
CREATE TRIGGER messages_counted AFTER INSERT ON messages BEGIN
	INSERT INTO counters (grp, key, stored, total) VALUES ('messages', new.state, 1, 1)
		ON CONFLICT (grp, key) DO UPDATE SET stored = stored + 1, total = total + 1;
END;
CREATE TRIGGER messages_moved AFTER UPDATE OF state ON messages WHEN old.state IS NOT new.state BEGIN
	UPDATE counters SET stored = stored - 1 WHERE grp = 'messages' AND key = old.state;
	INSERT INTO counters (grp, key, stored, total) VALUES ('messages', new.state, 1, 1)
		ON CONFLICT (grp, key) DO UPDATE SET stored = stored + 1, total = total + 1;
END;
CREATE TRIGGER messages_uncounted AFTER DELETE ON messages BEGIN
	UPDATE counters SET stored = stored - 1 WHERE grp = 'messages' AND key = old.state;
END;
CREATE TRIGGER alerts_counted AFTER INSERT ON alerts BEGIN
	INSERT INTO counters (grp, key, stored, total) VALUES ('alerts', '', 1, 1)
		ON CONFLICT (grp, key) DO UPDATE SET stored = stored + 1, total = total + 1;
END;
CREATE TRIGGER alerts_uncounted AFTER DELETE ON alerts BEGIN
	UPDATE counters SET stored = stored - 1 WHERE grp = 'alerts' AND key = '';
END;
CREATE INDEX alerts_ts ON alerts(ts);
CREATE INDEX messages_finished ON messages(state, seq);
`,
	},
	{
		// Supervision: each agent's activity state (survives an orchestrator restart) and the
		// automatic actions taken (nudges, escalations, recoveries) that budgets and the breaker count.
		version: 170,
		sql: `
CREATE TABLE agent_activity (
	agent TEXT PRIMARY KEY,
	state TEXT NOT NULL,
	source TEXT NOT NULL,
	since TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '{}',
	updated_at TEXT NOT NULL
);
CREATE TABLE supervision_actions (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	ts TEXT NOT NULL,
	agent TEXT NOT NULL,
	action TEXT NOT NULL,
	outcome TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX supervision_actions_agent ON supervision_actions(agent, ts);
CREATE INDEX supervision_actions_ts ON supervision_actions(ts);
`,
	},
	{
		// Tasks (180-189): one row per task, its dependencies; history is the task.state events.
		version: 180,
		sql: `
CREATE TABLE tasks (
	id TEXT PRIMARY KEY,
	seq INTEGER NOT NULL UNIQUE,
	title TEXT NOT NULL,
	body TEXT,
	agent TEXT,
	state TEXT NOT NULL,
	verify TEXT,
	budget_ms INTEGER,
	max_turns INTEGER,
	turns INTEGER NOT NULL DEFAULT 0,
	nudges INTEGER NOT NULL DEFAULT 0,
	restarts INTEGER NOT NULL DEFAULT 0,
	blocked_on TEXT,
	message_id TEXT,
	base_commit TEXT,
	offered_at TEXT,
	started_at TEXT,
	finished_at TEXT,
	budget_level INTEGER NOT NULL DEFAULT 0,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX tasks_state ON tasks(state, seq);
CREATE INDEX tasks_agent ON tasks(agent, state, seq);
CREATE INDEX tasks_message ON tasks(message_id);
CREATE TABLE task_deps (
	task TEXT NOT NULL,
	depends TEXT NOT NULL,
	PRIMARY KEY (task, depends)
);
CREATE INDEX task_deps_depends ON task_deps(depends);
CREATE INDEX events_task ON events(json_extract(data, '$.task'), id) WHERE type = 'task.state';
`,
	},
	{
		// Messages to the user, newest first (the TUI's and status's toUser list) without a scan.
		version: 190,
		sql: `
CREATE INDEX messages_to_seq ON messages(to_addr, seq);
`,
	},
];
