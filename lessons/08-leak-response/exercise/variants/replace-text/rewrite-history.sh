#!/bin/sh
# Replace the key's text wherever it appears in history (any file, any branch or tag).
set -e
printf 'regex:sk-(proj|svcacct|admin)-[A-Za-z0-9_-]{20,}==>***REMOVED***\n' > .git/replacements.txt
git filter-repo --replace-text .git/replacements.txt --force
rm -f .git/replacements.txt
git reflog expire --expire=now --all
git gc --prune=now --quiet
