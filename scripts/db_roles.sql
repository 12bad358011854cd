-- The database role split: the tables belong to a migration-owner role; the application
-- connects as a role that reads and writes data but only appends to the audit trail
-- (INSERT and SELECT on audit_auditevent), so it cannot disable the trail's append-only
-- trigger. The application refuses to start when its role owns that table (audit.E001).
--
-- Run as a superuser (psql 15+), on the census database, idempotent:
--
--   psql -v ON_ERROR_STOP=1 -d census -v owner=census_owner -v app=census_app \
--        -v app_password="$CENSUS_APP_PASSWORD" -f scripts/db_roles.sql
--
--   owner         owns the tables and runs `manage.py migrate` (default: the user running
--                 this script). Give it a password with \password if it signs in.
--   app           the role in the application's DATABASE_URL (default: census_app).
--   app_password  sets the app role's password (default: $CENSUS_APP_PASSWORD, if set).
--
-- Order for a new database: run this script, then migrate as the owner; the default
-- privileges below grant the app role every table migrations create, and audit migration
-- 0004 takes UPDATE, DELETE and TRUNCATE on the audit table from everyone but its owner.
-- For an existing database whose tables the application's role created, run it with
-- app=<that role>: ownership moves to the owner role and the grants are set. Running it
-- again after a migrate does no harm.
-- docker-compose.yml runs it when the PostgreSQL volume is first created.

\if :{?owner}
\else
SELECT current_user AS owner \gset
\endif
\if :{?app}
\else
\set app census_app
\endif
\if :{?app_password}
\else
\getenv app_password CENSUS_APP_PASSWORD
\endif

SELECT format('CREATE ROLE %I LOGIN', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT', :'app')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
\if :{?app_password}
SELECT format('ALTER ROLE %I PASSWORD %L', :'app', :'app_password') \gexec
\endif

-- Tables the application's role created before the split now belong to the owner.
SELECT format('REASSIGN OWNED BY %I TO %I', :'app', :'owner')
WHERE :'app' <> :'owner' \gexec

SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app') \gexec
SELECT format('GRANT USAGE, CREATE ON SCHEMA public TO %I', :'owner') \gexec
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'app') \gexec
SELECT format('REVOKE CREATE ON SCHEMA public FROM %I', :'app') \gexec

-- Data: read and write every table, now and as migrations add them.
SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', :'app') \gexec
SELECT format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', :'app') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
              'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', :'owner', :'app') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
              'GRANT USAGE, SELECT ON SEQUENCES TO %I', :'owner', :'app') \gexec

-- The audit trail: append and read, nothing else (the table exists after the first migrate).
SELECT format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_auditevent FROM %I', :'app')
WHERE to_regclass('audit_auditevent') IS NOT NULL \gexec
