#!/bin/sh
# Rewrite with git filter-branch: drop .env from every commit of every branch and tag, then delete
# the backup refs filter-branch keeps under refs/original/ (they still reach the old commits).
set -e
export FILTER_BRANCH_SQUELCH_WARNING=1
git filter-branch -f --index-filter 'git rm -q --cached --ignore-unmatch .env' --tag-name-filter cat -- --all
git for-each-ref --format='%(refname)' refs/original/ | while read -r ref; do git update-ref -d "$ref"; done
git reflog expire --expire=now --all
git gc --prune=now --quiet
