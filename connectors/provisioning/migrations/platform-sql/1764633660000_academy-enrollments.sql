-- Tier 2 academy schema, part 2: who is enrolled in which course.
-- Up Migration
CREATE TYPE enrollment_status AS ENUM ('active', 'completed', 'withdrawn');

CREATE TABLE enrollments (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	course_id bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
	member_email text NOT NULL CHECK (position('@' IN member_email) > 1),
	member_name text NOT NULL CHECK (length(member_name) BETWEEN 1 AND 200),
	status enrollment_status NOT NULL DEFAULT 'active',
	enrolled_at timestamptz NOT NULL DEFAULT now()
);

-- One enrollment per member and course, whatever the e-mail's letter case.
CREATE UNIQUE INDEX enrollments_course_member ON enrollments (course_id, lower(member_email));

-- Down Migration
DROP TABLE enrollments;
DROP TYPE enrollment_status;
