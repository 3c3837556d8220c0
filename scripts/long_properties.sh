#!/bin/sh
# The property tests with 20x the CI example counts (10,000 whole modules for
# test_fix_safety.py's main property, 4,000 messages per message-fix property): run before
# a release or after changing the fixer (about 20x the time these two files take in CI).
#   sh scripts/long_properties.sh            # or: LOGCHECK_PROPERTY_SCALE=50 sh scripts/long_properties.sh
set -e
cd "$(dirname "$0")/.."
LOGCHECK_PROPERTY_SCALE="${LOGCHECK_PROPERTY_SCALE:-20}" exec "${PYTHON:-python}" -m pytest -q -p no:cacheprovider \
    tests/test_fix_safety.py tests/test_fix_properties.py "$@"
