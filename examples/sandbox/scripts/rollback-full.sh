#!/bin/sh
# Sample fallback for the sandbox: a full rollback, run when the primary runner failed.
set -eu
service="${1:?usage: rollback-full.sh <service>}"
echo "::step 1/2 restoring ${service} from the last known-good deploy"
sleep 1
echo "::step 2/2 done"
