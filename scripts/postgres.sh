#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `start DIR` makes a cluster in DIR (initdb,
# trust authentication, listening on 127.0.0.1 only, on a free port, TLS with a
# self-signed certificate when openssl is there), starts it, makes the
# database toaster_test and prints its URL; `stop DIR` stops it and removes DIR. With
# TOASTER_PG_LISTEN="10.0.1.1,10.0.2.1" it also listens on those addresses (the test's own
# network namespaces reach it there) and trusts the subnets they are on. The role
# toaster_pw (password pw-right) must give its password, for the tests of a wrong one. As root it
# runs the server as the `postgres` user, since PostgreSQL refuses to run as root.
# The binaries are found on PATH or under /usr/lib/postgresql/*/bin (Debian's package).
set -euo pipefail

bin_dir() {
    if command -v initdb >/dev/null 2>&1; then
        # Resolve symbolic links: createdb lives beside the real initdb.
        dirname "$(readlink -f "$(command -v initdb)")"
        return
    fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$found" ] || [ ! -x "$found/initdb" ]; then
        echo "postgres.sh: no PostgreSQL binaries (initdb) on PATH or in /usr/lib/postgresql/*/bin; install Debian's postgresql package" >&2
        return 1
    fi
    echo "$found"
}

# Runs a command as the server's user.
as_server() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local dir=$1 bin port
    bin=$(bin_dir)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
    fi
    as_server "$bin/initdb" --pgdata="$dir/data" --username=toaster --auth=trust \
        --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    port=$(free_port)
    # TLS with a self-signed certificate when openssl is there, so that sslmode=require
    # and prefer are tested against a server that offers it.
    local tls=""
    if command -v openssl >/dev/null 2>&1 \
        && as_server openssl req -new -x509 -days 2 -nodes -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
            -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >/dev/null 2>&1; then
        chmod 600 "$dir/data/server.key"
        tls="-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key"
    fi
    # One role logs in with a password (the rest are trusted), for the tests of a wrong one.
    sed -i '1i host all toaster_pw 127.0.0.1/32 scram-sha-256' "$dir/data/pg_hba.conf"
    local listen=127.0.0.1
    if [ -n "${TOASTER_PG_LISTEN:-}" ]; then
        listen="127.0.0.1,$TOASTER_PG_LISTEN"
        echo "host all all samenet trust" >> "$dir/data/pg_hba.conf"
    fi
    # Durability is not needed for a throwaway server: fsync off makes the tests faster.
    as_server "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
        --options="-c listen_addresses=$listen -c port=$port -c unix_socket_directories='$dir' -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off $tls" \
        start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
    "$bin/createdb" --host=127.0.0.1 --port="$port" --username=toaster toaster_test
    "$bin/psql" --host=127.0.0.1 --port="$port" --username=toaster --quiet toaster_test \
        -c "CREATE ROLE toaster_pw LOGIN PASSWORD 'pw-right'" >/dev/null
    echo "postgres://toaster@127.0.0.1:$port/toaster_test?sslmode=disable"
}

stop() {
    local dir=$1 bin
    bin=$(bin_dir)
    if [ -d "$dir/data" ]; then
        as_server "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    *)
        echo "usage: $0 start DIR | stop DIR" >&2
        exit 2
        ;;
esac
