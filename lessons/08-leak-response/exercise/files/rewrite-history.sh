#!/bin/sh
# Rewrite this repository's history so no commit, branch or tag holds the key.
# The course's check builds the leaked history (the key was committed in .env three commits ago,
# then "deleted"), runs this script in it with real git, then searches every reachable object.
set -e

# TODO: your commands here.
