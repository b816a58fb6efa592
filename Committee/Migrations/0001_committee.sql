-- The data access committee: REMS-compatible applications, their events, grants and API keys.
-- Nothing here is ever deleted: a deleted draft, a rejected application and a revoked grant are states.
CREATE SCHEMA committee;

CREATE SEQUENCE committee.api_key_ids START 1;
CREATE SEQUENCE committee.catalogue_item_ids START 1;
CREATE SEQUENCE committee.application_ids START 1;
CREATE SEQUENCE committee.event_ids START 1;
CREATE SEQUENCE committee.grant_ids START 1;
CREATE SEQUENCE committee.attachment_ids START 1;

-- REMS API keys (x-rems-api-key): only the SHA-256 of the random key is kept.
CREATE TABLE committee.api_keys (
    id BIGINT PRIMARY KEY,
    key_sha256 VARCHAR NOT NULL UNIQUE,
    comment VARCHAR NOT NULL,
    roles VARCHAR NOT NULL,          -- space separated: "user-owner reporter"
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);

-- Users as the REMS API creates them (users/create); name and email are shown to committees.
CREATE TABLE committee.users (
    user_id VARCHAR PRIMARY KEY,
    name VARCHAR,
    email VARCHAR,
    updated_at TIMESTAMPTZ NOT NULL
);

-- One catalogue item per dataset a committee handles; its numeric id is what REMS clients send.
CREATE TABLE committee.catalogue_items (
    id BIGINT PRIMARY KEY,
    dataset_id VARCHAR NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE committee.applications (
    id BIGINT PRIMARY KEY,
    applicant VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    modified_at TIMESTAMPTZ NOT NULL,
    first_submitted_at TIMESTAMPTZ,
    -- Raised by every change: a change claims the row at the version it read, so of two concurrent changes one wins.
    version BIGINT NOT NULL,
    field_values VARCHAR NOT NULL,    -- JSON array of {form, field, value}: the current draft
    accepted_licenses VARCHAR NOT NULL -- JSON object {user id: [license ids]}
);

CREATE TABLE committee.application_resources (
    application_id BIGINT NOT NULL,
    catalogue_item_id BIGINT NOT NULL,
    dataset_id VARCHAR NOT NULL,
    PRIMARY KEY (application_id, catalogue_item_id)
);

-- Members invited by name and email (REMS invite-member); user_id is set once one joins (not offered yet).
CREATE TABLE committee.application_members (
    application_id BIGINT NOT NULL,
    position INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    email VARCHAR NOT NULL,
    user_id VARCHAR,
    invited_by VARCHAR NOT NULL,
    invited_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (application_id, position)
);

-- Every change of an application: who, when, what (REMS event type), and its details.
CREATE TABLE committee.events (
    id BIGINT PRIMARY KEY,
    application_id BIGINT NOT NULL,
    actor VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    type VARCHAR NOT NULL,
    payload VARCHAR NOT NULL          -- JSON object
);

CREATE TABLE committee.attachments (
    id BIGINT PRIMARY KEY,
    application_id BIGINT NOT NULL,
    filename VARCHAR NOT NULL,
    content_type VARCHAR NOT NULL,
    content BLOB NOT NULL,
    sha256 VARCHAR NOT NULL,
    uploaded_by VARCHAR NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL
);

-- What an approval grants: one row per user and dataset, until its end or its revocation.
CREATE TABLE committee.grants (
    id BIGINT PRIMARY KEY,
    application_id BIGINT NOT NULL,
    user_id VARCHAR NOT NULL,
    dataset_id VARCHAR NOT NULL,
    committee_id VARCHAR NOT NULL,
    start_at TIMESTAMPTZ NOT NULL,
    end_at TIMESTAMPTZ NOT NULL,
    approved_by VARCHAR NOT NULL,
    revoked_at TIMESTAMPTZ,
    revoked_by VARCHAR,
    revoke_reason VARCHAR
);
CREATE INDEX grants_user ON committee.grants (user_id);
