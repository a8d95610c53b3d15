#!/usr/bin/env bash
# Makes the pgvector extension available to the local PostgreSQL server.
# Does nothing when the server already offers it. Otherwise builds Debian's own
# source package (trixie) against postgresql-server-dev-<major> and installs it.
set -euo pipefail
trap 'echo "ensure-pgvector: failed at line $LINENO (run it with bash -x to see the step)" >&2' ERR

DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
available=$(psql "$DATABASE_URL" -tAc "select count(*) from pg_available_extensions where name = 'vector'" 2>/dev/null || echo error)
if [ "$available" = "1" ]; then exit 0; fi
if [ "$available" = "error" ]; then
  echo "ensure-pgvector: cannot reach PostgreSQL at DATABASE_URL; start it first (deploy/local/ensure-infra.sh)" >&2
  exit 1
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-pgvector: pgvector is missing and installing it needs root; run: sudo $0" >&2
  exit 1
fi

major=$(psql "$DATABASE_URL" -tAc "show server_version_num" | cut -c1-2)
export DEBIAN_FRONTEND=noninteractive
sources=/etc/apt/sources.list.d/pricebook-trixie-src.sources
if [ ! -f "$sources" ]; then
  cat >"$sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
echo "ensure-pgvector: building pgvector from Debian's source package (one time, a few minutes)" >&2
apt-get update -qq >/dev/null
apt-get install -y -qq "postgresql-server-dev-${major}" dpkg-dev make gcc >/dev/null 2>&1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source --download-only pgvector >/dev/null 2>&1
dpkg-source -x pgvector_*.dsc src >/dev/null 2>&1
make -s -C src PG_CONFIG="/usr/lib/postgresql/${major}/bin/pg_config" >/dev/null 2>&1
make -s -C src PG_CONFIG="/usr/lib/postgresql/${major}/bin/pg_config" install >/dev/null

available=$(psql "$DATABASE_URL" -tAc "select count(*) from pg_available_extensions where name = 'vector'")
if [ "$available" != "1" ]; then
  echo "ensure-pgvector: pgvector was built but PostgreSQL does not list it; check PG_CONFIG for version ${major}" >&2
  exit 1
fi
echo "ensure-pgvector: pgvector installed" >&2
