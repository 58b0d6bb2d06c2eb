#!/usr/bin/env bash
# tools/pg_test_cluster.sh — a throwaway PostgreSQL cluster for the store's
# tests (src/store/db_pg.c): nothing in it is meant to survive.
#
#   tools/pg_test_cluster.sh start DIR [PORT]   initdb into DIR (if new), start,
#                                               create database sitrep_test and
#                                               print its URL on stdout
#   tools/pg_test_cluster.sh stop DIR           stop it (fast shutdown)
#
# The server listens on 127.0.0.1 only (PORT, default 54329) with trust
# authentication, its socket in DIR, and fsync, synchronous_commit and
# full_page_writes off: fast, and lost on a crash, which is fine here.
# PostgreSQL refuses to run as root, so as root the cluster belongs to the
# `postgres` user of Debian's postgresql package. Messages go to stderr;
# exit 2 when PostgreSQL is missing or the usage is wrong, 1 on failure.
set -euo pipefail

say() { printf 'pg_test_cluster: %s\n' "$*" >&2; }
usage() {
    say "usage: $0 start DIR [PORT] | stop DIR"
    exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
port=${3:-54329}
port_given=${3:+yes}
case $cmd in start | stop) ;; *) usage ;; esac
case $port in '' | *[!0-9]*) say "port must be a number: $port"; exit 2 ;; esac
[ "$cmd" = stop ] && [ $# -gt 2 ] && usage

# The server binaries: the newest /usr/lib/postgresql/N/bin, else pg_config's.
bindir=
best=-1
for d in /usr/lib/postgresql/*/bin; do
    v=${d#/usr/lib/postgresql/}
    v=${v%%[!0-9]*}
    if [ -n "$v" ] && [ -x "$d/initdb" ] && [ "$v" -gt "$best" ]; then
        best=$v
        bindir=$d
    fi
done
if [ -z "$bindir" ] && command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    [ -n "$d" ] && [ -x "$d/initdb" ] && bindir=$d
fi
if [ -z "$bindir" ]; then
    say "PostgreSQL server programs (initdb, pg_ctl) not found; install them with: apt-get install postgresql"
    exit 2
fi

# Run the server programs as an unprivileged user.
as_owner=()
if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        say "running as root but there is no 'postgres' user (PostgreSQL will not run as root); install it with: apt-get install postgresql"
        exit 2
    fi
    as_owner=(runuser -u postgres --)
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

running() { "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; }

if [ "$cmd" = stop ]; then
    if [ ! -f "$dir/PG_VERSION" ]; then
        say "$dir: not a PostgreSQL cluster"
        exit 1
    fi
    if ! running; then
        say "$dir: not running"
        exit 0
    fi
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    exit 0
fi

if [ ! -f "$dir/PG_VERSION" ]; then
    if [ -n "$(ls -A "$dir")" ]; then
        say "$dir: exists, is not empty and is not a PostgreSQL cluster"
        exit 1
    fi
    chmod 700 "$dir"
    if [ ${#as_owner[@]} -gt 0 ]; then
        chown postgres: "$dir"
        if ! "${as_owner[@]}" test -w "$dir"; then
            say "$dir: the postgres user cannot reach it (a parent directory is private); use a directory under /tmp"
            exit 1
        fi
    fi
    if ! out=$("${as_owner[@]}" "$bindir/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C 2>&1); then
        printf '%s\n' "$out" >&2
        say "initdb failed in $dir"
        exit 1
    fi
    # Later settings in postgresql.conf win over initdb's.
    cat >>"$dir/postgresql.conf" <<EOF

# pg_test_cluster.sh: throwaway test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    cat >"$dir/pg_hba.conf" <<EOF
# pg_test_cluster.sh: TCP from 127.0.0.1 only, no password
host all all 127.0.0.1/32 trust
EOF
fi

if ! running; then
    # A PORT given when restarting an existing cluster overrides its own.
    opts=()
    [ -n "$port_given" ] && opts=(-o "-p $port")
    if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" "${opts[@]}" -w -t 60 start >/dev/null; then
        tail -n 20 "$dir/server.log" >&2 || true
        say "server in $dir did not start (log above, $dir/server.log)"
        exit 1
    fi
fi
# The port of the running server: line 4 of postmaster.pid.
port=$(sed -n 4p "$dir/postmaster.pid")

psql=("$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres)
if [ "$("${psql[@]}" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'sitrep_test'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE sitrep_test" >/dev/null
fi
printf 'postgresql://postgres@127.0.0.1:%s/sitrep_test\n' "$port"
