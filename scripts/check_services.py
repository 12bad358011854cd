"""Stop `make test` early, with a clear message, when PostgreSQL or Redis is unreachable."""

from __future__ import annotations

import argparse
import sys

import dj_database_url
import psycopg2
import redis


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--redis", required=True)
    args = parser.parse_args()
    problems = []
    params = dj_database_url.parse(args.database)
    try:
        psycopg2.connect(
            host=params["HOST"] or "127.0.0.1",
            port=params["PORT"] or 5432,
            user=params["USER"],
            password=params["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg2.OperationalError as exc:
        problems.append(
            f"PostgreSQL is not reachable at {params['HOST']}:{params['PORT']} ({exc}).\n"
            "  Start it, e.g.: "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )
    try:
        redis.Redis.from_url(args.redis, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        problems.append(
            f"Redis is not reachable at {args.redis} ({exc}).\n"
            '  Start it, e.g.: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ""'
        )
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
