-- closeloop schema, version 2: small keyed records beside the tickets (knowledge articles, customer profiles,
-- public links, webhook subscriptions), each written whole with an optimistic revision guard.

CREATE TABLE docs (
  collection text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  rev integer NOT NULL,
  updated_at timestamptz NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (collection, id)
);
