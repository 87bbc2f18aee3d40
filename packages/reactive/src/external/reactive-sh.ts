// The bash library external handlers source. Written to the exchange directory's bin/ for each
// dispatch, so it works from a bundled charm with no extra files to ship.

/**
 * `reactive.sh`: charms.reactive-style decorators (`@when`, `@when_not`, `@when_any`,
 * `@when_file_changed`, `@hook`, `@only_once`…), flag functions and `reactive_handler_main`.
 */
export const REACTIVE_SH = `# reactive.sh: charms.reactive-style handlers in bash for @charmkit/reactive.
#
#   #!/bin/bash
#   source reactive.sh                      # on PATH while @charmkit/reactive runs the handler
#   @when 'db.database.available' '!app.configured'
#   function configure() { ...; set_flag app.configured; }
#   @when_file_changed /etc/app.conf
#   function restart() { systemctl restart app; }
#   reactive_handler_main "$@"
#
# Decorators: @hook PATTERN..., @when/@when_all FLAG... ('!flag' = not set), @when_any FLAG...,
# @when_not/@when_none FLAG..., @when_not_all FLAG..., @when_file_changed PATH..., @only_once.
# Each applies to the next function defined below it in the same file. Flags: set_flag,
# clear_flag, toggle_flag, is_flag_set, all_flags_set, any_flags_set, get_flags (through the
# charmkit-reactive command). The protocol: \`--test\` prints the functions whose conditions hold,
# comma-separated (exit 1 when none); \`--invoke LIST\` runs them.

if [ -z "\${BASH_VERSION:-}" ]; then
  echo "reactive.sh needs bash" >&2
  exit 2
fi

set_flag() { charmkit-reactive set "$@"; }
clear_flag() { charmkit-reactive clear "$@"; }
toggle_flag() { charmkit-reactive toggle "$@"; }
is_flag_set() { charmkit-reactive is-set "$@"; }
all_flags_set() { charmkit-reactive all "$@"; }
any_flags_set() { charmkit-reactive any "$@"; }
get_flags() { charmkit-reactive list; }
# charms.reactive's older names.
set_state() { set_flag "$@"; }
remove_state() { clear_flag "$@"; }
is_state() { is_flag_set "$@"; }
all_states() { all_flags_set "$@"; }
any_states() { any_flags_set "$@"; }

_REACTIVE_DECL_FILE=()
_REACTIVE_DECL_LINE=()
_REACTIVE_DECL_KIND=()
_REACTIVE_DECL_ARGS=()
_REACTIVE_DECL_FN=()
_REACTIVE_FUNCS=()

# Records a decorator with the file and line it was written on (two calls up: the decorator, then
# the handler file), so reactive_handler_main can pair it with the next function definition.
_reactive_decl() {
  local kind=$1
  shift
  _REACTIVE_DECL_FILE+=("\${BASH_SOURCE[2]}")
  _REACTIVE_DECL_LINE+=("\${BASH_LINENO[1]}")
  _REACTIVE_DECL_KIND+=("$kind")
  local IFS=$'\\n'
  _REACTIVE_DECL_ARGS+=("$*")
}
function @hook() { _reactive_decl hook "$@"; }
function @when() { _reactive_decl when "$@"; }
function @when_all() { _reactive_decl when "$@"; }
function @when_any() { _reactive_decl when_any "$@"; }
function @when_not() { _reactive_decl when_none "$@"; }
function @when_none() { _reactive_decl when_none "$@"; }
function @when_not_all() { _reactive_decl when_not_all "$@"; }
function @when_file_changed() { _reactive_decl file "$@"; }
function @only_once() { _reactive_decl once; }

_reactive_fail() {
  echo "reactive.sh: $*" >&2
  exit 2
}

# Pairs every decorator with the first function defined after it in its file (one awk per file:
# it prints, for each function definition, its line and name).
_reactive_resolve() {
  local i fn known file line defs
  declare -A defs_of=()
  for i in "\${!_REACTIVE_DECL_KIND[@]}"; do
    file=\${_REACTIVE_DECL_FILE[i]}
    if [ -z "\${defs_of[$file]+set}" ]; then
      defs_of[$file]=$(awk '{
        line = $0
        if (line ~ /^[ \\t]*function[ \\t]+[A-Za-z_][A-Za-z0-9_]*/) sub(/^[ \\t]*function[ \\t]+/, "", line)
        else if (line ~ /^[ \\t]*[A-Za-z_][A-Za-z0-9_]*[ \\t]*\\(\\)/) sub(/^[ \\t]*/, "", line)
        else next
        match(line, /^[A-Za-z_][A-Za-z0-9_]*/)
        print NR, substr(line, 1, RLENGTH)
      }' "$file")
    fi
    fn=
    while read -r line defs; do
      if [ -n "$line" ] && [ "$line" -gt "\${_REACTIVE_DECL_LINE[i]}" ]; then
        fn=$defs
        break
      fi
    done <<<"\${defs_of[$file]}"
    [ -n "$fn" ] || _reactive_fail "no function follows the @\${_REACTIVE_DECL_KIND[i]} on line \${_REACTIVE_DECL_LINE[i]} of $file"
    _REACTIVE_DECL_FN[i]=$fn
    for known in "\${_REACTIVE_FUNCS[@]}"; do [ "$known" = "$fn" ] && continue 2; done
    _REACTIVE_FUNCS+=("$fn")
  done
}

# The flag set and the flags changed in the previous round, read without a process per test.
declare -A _REACTIVE_FLAGS=()
declare -A _REACTIVE_CHANGED=()
_reactive_load() {
  local flag
  _REACTIVE_FLAGS=()
  _REACTIVE_CHANGED=()
  while IFS= read -r flag; do [ -z "$flag" ] || _REACTIVE_FLAGS[$flag]=1; done <"$CHARMKIT_REACTIVE_DIR/flags"
  while IFS= read -r flag; do [ -z "$flag" ] || _REACTIVE_CHANGED[$flag]=1; done <"$CHARMKIT_REACTIVE_DIR/changed"
}

_reactive_is_set() { [ -n "\${_REACTIVE_FLAGS[$1]+set}" ]; }

# 'flag' holds when set, '!flag' when not set.
_reactive_cond() {
  if [ "\${1:0:1}" = '!' ]; then ! _reactive_is_set "\${1:1}"; else _reactive_is_set "$1"; fi
}

_reactive_hash() {
  if [ -f "$1" ]; then
    local sum
    sum=$(sha256sum <"$1") || return 1
    printf '%s' "\${sum%% *}"
  fi
}

# True when the file's hash differs from the one stored when this handler last ran.
_reactive_file_changed() {
  local stored
  stored=$(awk -F '\\t' -v id="$1" -v path="$2" '$1 == id && $2 == path { print $3; exit }' \\
    "$CHARMKIT_REACTIVE_DIR/hashes")
  [ "$(_reactive_hash "$2")" != "$stored" ]
}

# {requires:pgsql} → the endpoint names with that role and interface (from the metadata).
_reactive_hook_matches() {
  local pattern expanded names role_re='\\{(requires|provides|peers):([^{},]+)\\}' name
  for pattern in "$@"; do
    expanded=$pattern
    while [[ $expanded =~ $role_re ]]; do
      names=$(awk -v role="\${BASH_REMATCH[1]}" -v iface="\${BASH_REMATCH[2]}" \\
        '$1 == role && $2 == iface { print $3 }' "$CHARMKIT_REACTIVE_DIR/endpoints" | paste -sd, -)
      case $names in
        '') continue 2 ;;
        *,*) names="{$names}" ;;
      esac
      expanded=\${expanded/"\${BASH_REMATCH[0]}"/$names}
    done
    [[ $expanded =~ ^[a-z0-9{},-]+$ ]] || _reactive_fail "bad hook pattern '$pattern'"
    local -a hooks=()
    eval "hooks=($expanded)"
    for name in "\${hooks[@]}"; do [ "$name" = "\${JUJU_HOOK_NAME:-}" ] && return 0; done
  done
  return 1
}

# Whether function $1's conditions hold; with $2 = watch, also apply the round filter: after the
# first round, only functions one of whose flags changed in the previous round are tested.
_reactive_test() {
  local fn=$1 watch=\${2:-} id="\${CHARMKIT_REACTIVE_HANDLER:-}:$1" i kind item ok phase=flags
  local -a items watched=()
  for i in "\${!_REACTIVE_DECL_KIND[@]}"; do
    [ "\${_REACTIVE_DECL_FN[i]}" = "$fn" ] || continue
    case \${_REACTIVE_DECL_KIND[i]} in
      hook) phase=hook ;;
      when | when_any | when_none | when_not_all)
        items=()
        [ -z "\${_REACTIVE_DECL_ARGS[i]}" ] || mapfile -t items <<<"\${_REACTIVE_DECL_ARGS[i]}"
        for item in "\${items[@]}"; do watched+=("\${item#!}"); done
        ;;
    esac
  done
  [ "$phase" = "\${CHARMKIT_REACTIVE_PHASE:-}" ] || return 1
  if [ "$watch" = watch ] && [ "\${CHARMKIT_REACTIVE_ROUND:-0}" -gt 0 ] && [ \${#watched[@]} -gt 0 ]; then
    ok=1
    for item in "\${watched[@]}"; do
      if [ -n "\${_REACTIVE_CHANGED[$item]+set}" ]; then
        ok=0
        break
      fi
    done
    [ $ok = 0 ] || return 1
  fi
  for i in "\${!_REACTIVE_DECL_KIND[@]}"; do
    [ "\${_REACTIVE_DECL_FN[i]}" = "$fn" ] || continue
    kind=\${_REACTIVE_DECL_KIND[i]}
    items=()
    [ -z "\${_REACTIVE_DECL_ARGS[i]}" ] || mapfile -t items <<<"\${_REACTIVE_DECL_ARGS[i]}"
    case $kind in
      hook) _reactive_hook_matches "\${items[@]}" || return 1 ;;
      when) for item in "\${items[@]}"; do _reactive_cond "$item" || return 1; done ;;
      when_any)
        ok=1
        for item in "\${items[@]}"; do _reactive_cond "$item" && { ok=0; break; }; done
        [ $ok = 0 ] || return 1
        ;;
      when_none) for item in "\${items[@]}"; do _reactive_is_set "$item" && return 1; done ;;
      when_not_all)
        ok=1
        for item in "\${items[@]}"; do _reactive_is_set "$item" || { ok=0; break; }; done
        [ $ok = 0 ] || return 1
        ;;
      file)
        ok=1
        for item in "\${items[@]}"; do _reactive_file_changed "$id" "$item" && { ok=0; break; }; done
        [ $ok = 0 ] || return 1
        ;;
      once) grep -qxF -e "$id" "$CHARMKIT_REACTIVE_DIR/once" && return 1 ;;
    esac
  done
  return 0
}

reactive_handler_main() {
  [ -n "\${CHARMKIT_REACTIVE_DIR:-}" ] || _reactive_fail "CHARMKIT_REACTIVE_DIR is not set: @charmkit/reactive runs this file"
  _reactive_resolve
  local fn i item id journal=$CHARMKIT_REACTIVE_DIR/journal
  local -a passing=() names=() files=()
  case \${1:-} in
    --test)
      _reactive_load
      for fn in "\${_REACTIVE_FUNCS[@]}"; do
        if _reactive_test "$fn" watch; then passing+=("$fn"); fi
      done
      [ \${#passing[@]} -gt 0 ] || exit 1
      (IFS=,; printf '%s\\n' "\${passing[*]}")
      exit 0
      ;;
    --invoke)
      IFS=, read -r -a names <<<"\${2:-}"
      for fn in "\${names[@]}"; do
        [[ " \${_REACTIVE_FUNCS[*]} " == *" $fn "* ]] || _reactive_fail "--invoke: no handler function '$fn'"
        id="\${CHARMKIT_REACTIVE_HANDLER:-}:$fn"
        # Conditions are checked again: an earlier handler may have changed the flags.
        _reactive_load
        if ! _reactive_test "$fn"; then
          echo "reactive.sh: skipping $fn: its conditions no longer hold" >&2
          continue
        fi
        # File hashes are taken before the handler runs and stored once it succeeded.
        files=()
        for i in "\${!_REACTIVE_DECL_KIND[@]}"; do
          [ "\${_REACTIVE_DECL_FN[i]}" = "$fn" ] && [ "\${_REACTIVE_DECL_KIND[i]}" = file ] || continue
          mapfile -t items <<<"\${_REACTIVE_DECL_ARGS[i]}"
          for item in "\${items[@]}"; do files+=("$(printf 'file\\t%s\\t%s\\t%s' "$id" "$item" "$(_reactive_hash "$item")")"); done
        done
        "$fn"
        i=$?
        if [ $i -ne 0 ]; then
          echo "reactive.sh: $fn failed with status $i" >&2
          exit $i
        fi
        for item in "\${files[@]}"; do printf '%s\\n' "$item" >>"$journal"; done
        for i in "\${!_REACTIVE_DECL_KIND[@]}"; do
          [ "\${_REACTIVE_DECL_FN[i]}" = "$fn" ] && [ "\${_REACTIVE_DECL_KIND[i]}" = once ] && printf 'once\\t%s\\n' "$id" >>"$journal"
        done
        printf 'ran\\t%s\\n' "$id" >>"$journal"
      done
      exit 0
      ;;
    *)
      echo "usage: $0 --test | --invoke FUNCTION[,FUNCTION...]" >&2
      exit 2
      ;;
  esac
}
`;
