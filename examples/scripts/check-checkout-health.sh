#!/bin/sh
# Sample verification check for examples/config.yml: exit 0 when checkout is healthy.
# Replace with a real probe (curl your health endpoint, query your metrics).
set -eu
echo "checkout healthy"
