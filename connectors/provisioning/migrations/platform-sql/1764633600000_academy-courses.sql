-- Tier 2 academy schema, part 1: the courses an academy runs.
-- Up Migration
CREATE TABLE courses (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description text,
	starts_on date,
	ends_on date,
	capacity integer CHECK (capacity IS NULL OR capacity > 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);

-- Down Migration
DROP TABLE courses;
