-- closeloop schema, version 1. Applied by `closeloop migrate` (and at start-up) under an advisory lock.
-- Times are timestamptz; a ticket's full state and its events are jsonb, with the fields the board, the SLA
-- sweep and the stats read copied into columns so every such query is answered from an index.

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- Ticket numbers: one counter row per period (yyyyMM), bumped in the transaction that inserts the ticket, so
-- numbers are gap-free and never come from an instance's memory.
CREATE TABLE ticket_counters (
  period text PRIMARY KEY,
  value integer NOT NULL
);

CREATE TABLE tickets (
  number text COLLATE "C" PRIMARY KEY,
  -- the number with its digits padded: sorts like the embedded store's numeric collation
  number_key text COLLATE "C" NOT NULL,
  -- events so far: the optimistic-concurrency guard (UPDATE ... WHERE seq = $seen)
  seq integer NOT NULL,
  version integer NOT NULL,
  status text NOT NULL,
  priority text NOT NULL,
  department text NOT NULL,
  owner text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  resolved_at timestamptz,
  -- the first-response deadline while nobody has responded, and the resolution deadline
  response_due timestamptz,
  resolution_due timestamptz,
  -- when the next SLA stage fires: the sweep's index key
  next_due_at timestamptz,
  -- resolved and moved out of the active set (board queries read only active rows)
  archived boolean NOT NULL DEFAULT false,
  -- platform, chat and message a ticket was made from: a redelivered message never makes a second ticket
  origin_key text UNIQUE,
  state jsonb NOT NULL
) WITH (fillfactor = 85);

-- The board: newest first, optionally by department or owner, active tickets only.
CREATE INDEX tickets_active_recent ON tickets (created_at DESC, number_key DESC) WHERE NOT archived;
CREATE INDEX tickets_active_department ON tickets (department, created_at DESC, number_key DESC) WHERE NOT archived;
CREATE INDEX tickets_active_owner ON tickets (owner, created_at DESC, number_key DESC) WHERE NOT archived;
-- Lists that include the archive (export, history).
CREATE INDEX tickets_recent ON tickets (created_at DESC, number_key DESC);
-- Overdue lists and counts: overdue means the earliest open deadline has passed (LEAST skips NULLs).
CREATE INDEX tickets_overdue ON tickets ((LEAST(response_due, resolution_due))) WHERE status <> 'resolved';
-- Stats: open tickets by department and status, resolutions by day.
CREATE INDEX tickets_active_stats ON tickets (department, status, priority) WHERE NOT archived;
CREATE INDEX tickets_resolved_at ON tickets (resolved_at, department) WHERE resolved_at IS NOT NULL;
-- The SLA sweep: what is due, earliest first.
CREATE INDEX tickets_next_due ON tickets (next_due_at, number) WHERE next_due_at IS NOT NULL;

-- The timeline, one row per event; (number, seq) is unique, so two writers can never both add event n.
CREATE TABLE ticket_events (
  number text COLLATE "C" NOT NULL REFERENCES tickets (number),
  seq integer NOT NULL,
  event jsonb NOT NULL,
  PRIMARY KEY (number, seq)
);

-- Free-text search over number, customer name and description (lower-cased), written once at creation.
CREATE TABLE ticket_search (
  number text COLLATE "C" PRIMARY KEY REFERENCES tickets (number),
  text text NOT NULL
);
CREATE INDEX ticket_search_trgm ON ticket_search USING gin (text public.gin_trgm_ops);

-- Keyed hashes of every phone number a ticket holds, for exact lookups.
CREATE TABLE ticket_contacts (
  hash text NOT NULL,
  number text COLLATE "C" NOT NULL REFERENCES tickets (number),
  PRIMARY KEY (hash, number)
);

-- The durable outbox, written in the same transaction as the change that caused each row.
CREATE TABLE outbox (
  key text COLLATE "C" PRIMARY KEY,
  kind text NOT NULL,
  recipient text COLLATE "C" NOT NULL,
  ticket text NOT NULL,
  payload jsonb NOT NULL,
  not_before timestamptz,
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  delivered_at timestamptz,
  last_error text
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, key) WHERE delivered_at IS NULL;
CREATE INDEX outbox_pending_recipient ON outbox (recipient) WHERE delivered_at IS NULL;
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;

-- Work one instance has taken, until `until` (the database's clock): a recipient's outbox rows, so they go
-- out in order from one place, and a ticket's due SLA stages. A holder that dies lets its leases lapse.
CREATE TABLE outbox_leases (
  recipient text PRIMARY KEY,
  holder text NOT NULL,
  until timestamptz NOT NULL
);
CREATE TABLE sweep_leases (
  number text COLLATE "C" PRIMARY KEY,
  holder text NOT NULL,
  until timestamptz NOT NULL
);
