#!/bin/sh
# Sample rollback for the sandbox: pretends to roll <service> back, reporting progress the
# way the command runner shows it (::step n/m …). Exit non-zero here to see the fallback run.
set -eu
service="${1:?usage: rollback-checkout.sh <service> <incident-id>}"
incident="${2:-}"
echo "::step 1/3 draining traffic from the new ${service} release (${incident})"
sleep 1
echo "::step 2/3 switching ${service} to the previous release"
sleep 1
echo "::step 3/3 restoring traffic"
echo "rolled ${service} back"
