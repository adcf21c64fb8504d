#!/bin/sh
# Start over: a new repository holding only today's files (.env stays ignored).
set -e
rm -rf .git
git init -q -b main
git add -A
git commit -q -m "Fresh start without the leaked key"
