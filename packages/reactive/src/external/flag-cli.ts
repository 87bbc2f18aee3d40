// The flag command external handlers (in any language) call. POSIX sh, so it needs no Node and
// starts in a millisecond; it only edits the exchange directory, which the parent reads back.

/**
 * `charmkit-reactive`: `is-set`, `all`, `any`, `set`, `clear`, `toggle`, `list`.
 */
export const FLAG_CLI = `#!/bin/sh
# charmkit-reactive: read and change the unit's reactive flags from a handler in any language.
# @charmkit/reactive puts it on PATH while it runs an external handler. Flags live in the
# dispatch's exchange directory; the parent applies the changes when the handler exits.
#   charmkit-reactive is-set FLAG | all FLAG... | any FLAG...   exit 0 (true) or 1 (false)
#   charmkit-reactive set FLAG... | clear FLAG... | toggle FLAG true|false
#   charmkit-reactive list                                     every flag set, one a line
set -u
dir=\${CHARMKIT_REACTIVE_DIR:-}
if [ -z "$dir" ] || [ ! -f "$dir/flags" ]; then
  echo "charmkit-reactive: CHARMKIT_REACTIVE_DIR is not set: run me from a reactive handler" >&2
  exit 2
fi
flags=$dir/flags
journal=$dir/journal

check_name() {
  case $1 in
    '' | '!'* | *[[:space:]]* | *,*)
      echo "charmkit-reactive: invalid flag name '$1' (no spaces or commas, no leading '!')" >&2
      exit 2
      ;;
  esac
}

check_writable() {
  [ -f "$dir/read-only" ] || return 0
  while IFS= read -r prefix; do
    [ -n "$prefix" ] || continue
    case $1 in
      "$prefix"*)
        echo "charmkit-reactive: $1 belongs to a flag provider ($prefix): it cannot be set or cleared" >&2
        exit 2
        ;;
    esac
  done <"$dir/read-only"
}

is_set() { grep -qxF -e "$1" "$flags"; }

set_flags() {
  for flag in "$@"; do
    check_name "$flag"
    check_writable "$flag"
    is_set "$flag" || printf '%s\\n' "$flag" >>"$flags"
    printf 'set\\t%s\\n' "$flag" >>"$journal"
  done
}

clear_flags() {
  for flag in "$@"; do
    check_name "$flag"
    check_writable "$flag"
    if is_set "$flag"; then
      grep -vxF -e "$flag" "$flags" >"$flags.new" || true
      mv "$flags.new" "$flags"
    fi
    printf 'clear\\t%s\\n' "$flag" >>"$journal"
  done
}

[ $# -gt 0 ] || set -- help
command=$1
shift
case $command in
  is-set)
    [ $# -eq 1 ] || { echo "usage: charmkit-reactive is-set FLAG" >&2; exit 2; }
    is_set "$1"
    ;;
  all)
    for flag in "$@"; do is_set "$flag" || exit 1; done
    exit 0
    ;;
  any)
    for flag in "$@"; do is_set "$flag" && exit 0; done
    exit 1
    ;;
  set) set_flags "$@" ;;
  clear) clear_flags "$@" ;;
  toggle)
    [ $# -eq 2 ] || { echo "usage: charmkit-reactive toggle FLAG true|false" >&2; exit 2; }
    case $2 in
      true | 1 | yes | on) set_flags "$1" ;;
      false | 0 | no | off | '') clear_flags "$1" ;;
      *) echo "charmkit-reactive: toggle takes true or false, not '$2'" >&2; exit 2 ;;
    esac
    ;;
  list) sort "$flags" ;;
  *)
    echo "usage: charmkit-reactive is-set|all|any|set|clear|toggle|list [FLAG...]" >&2
    exit 2
    ;;
esac
`;
