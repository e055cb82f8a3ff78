# Answers -h/--help with the calling script's header comment, before the script does any work (a
# documented command must never take --help as an argument and start building). Source it first:
#   source "$(dirname "$0")/lib/help.sh" "$@"      (scripts/lib/*.sh: "$(dirname "$0")/help.sh")
case "${1:-}" in
  -h | --help)
    # The comment block under the shebang, without its leading "# ".
    sed -n '2,/^[^#]/{/^#/{s/^# \{0,1\}//;p}}' "$0"
    exit 0
    ;;
esac
