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
];
