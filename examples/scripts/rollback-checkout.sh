#!/bin/sh
# Sample rollback runner for examples/config.yml: replace the body with your deploy tool
# (kubectl rollout undo, helm rollback, your CD's API). The bot runs it without a shell, one
# argument per argv element, and shows each "::step n/m text" line as progress in Slack.
# Exit 0 means the rollback ran; verification then decides whether it worked.
set -eu
env_name="production"; release=""
while [ $# -gt 0 ]; do
  case "$1" in
    --env) env_name="$2"; shift 2 ;;
    --release) release="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$release" ] || { echo "--release is required" >&2; exit 2; }
echo "::step 1/3 Check that release $release exists"
echo "::step 2/3 Roll checkout back to $release in $env_name"
echo "::step 3/3 Wait for the rollout"
echo "checkout is on $release in $env_name"
