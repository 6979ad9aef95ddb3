#!/bin/sh
# Least privilege for an EM Service organisation in etcd (SPEC 11, docs/fleet.md).
#
#   etcd-roles.sh PREFIX admin  USER PASSWORD_FILE   an administrator: reads and writes
#                                                    every key of the organisation
#   etcd-roles.sh PREFIX server NAME PASSWORD_FILE   a server's emsd (etcd user NAME in
#                                                    lower case): reads the organisation,
#                                                    writes only its own keys and the
#                                                    organisation's sequence floor
#
# etcdctl takes the endpoints and the credentials of an etcd user with the
# root role from the environment (ETCDCTL_ENDPOINTS, ETCDCTL_CACERT,
# ETCDCTL_CERT, ETCDCTL_KEY, ETCDCTL_USER=root:…). Each command is printed
# before it runs. Run it again to add a permission; it never removes one.
set -eu

usage() {
  echo "usage: $0 PREFIX admin|server NAME PASSWORD_FILE" >&2
  exit 2
}
[ $# -eq 4 ] || usage
prefix=$1 kind=$2 name=$3 password_file=$4
case $prefix in /*/) ;; *) echo "$0: PREFIX must start and end with / (as store.etcd.prefix)" >&2; exit 2 ;; esac
case $name in *[!A-Za-z0-9._-]*|'') echo "$0: bad name '$name' (letters, digits, '.', '_', '-')" >&2; exit 2 ;; esac
[ -r "$password_file" ] || { echo "$0: cannot read $password_file" >&2; exit 2; }

export ETCDCTL_API=3
run() {
  echo "etcdctl $*"
  etcdctl "$@"
}

# Adds the user unless it exists, with the password read from the file
# (never on a command line, where ps would show it).
add_user() {
  if etcdctl user get "$1" >/dev/null 2>&1; then
    echo "# user $1 exists: its password is left as it is"
  else
    echo "etcdctl user add $1 --interactive=false < $password_file"
    etcdctl user add "$1" --interactive=false <"$password_file"
  fi
}

add_role() {
  etcdctl role get "$1" >/dev/null 2>&1 || run role add "$1"
}

case $kind in
  admin)
    role=emservice-admin
    add_role $role
    run role grant-permission $role readwrite --prefix=true "$prefix"
    add_user "$name"
    run user grant-role "$name" $role
    ;;
  server)
    # Keys name a server in lower case (names are case-insensitive).
    id=$(printf '%s' "$name" | tr 'A-Z' 'a-z')
    role=emservice-server-$id
    add_role "$role"
    run role grant-permission "$role" read --prefix=true "$prefix"
    for kind_key in state status document live seen; do
      run role grant-permission "$role" readwrite "${prefix}${kind_key}/$id"
    done
    run role grant-permission "$role" readwrite --prefix=true "${prefix}plugin/$id/"
    run role grant-permission "$role" readwrite "${prefix}floor"
    add_user "$id"
    run user grant-role "$id" "$role"
    ;;
  *) usage ;;
esac
