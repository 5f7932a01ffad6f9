#!/bin/sh
# Copies GitLab's CI templates (lib/gitlab/ci/templates/ of gitlab-org/gitlab, MIT licence) at one
# GitLab version into a folder, for `policy-sidecar compose --ci-templates`. GitLab's templates API
# cannot serve names with a folder (Jobs/SAST.gitlab-ci.yml), so policy-sidecar reads them from this
# copy. Run it yourself, then commit the folder to a project of yours (or bake it into your image):
#
#   scripts/mirror-ci-templates.sh v17.11.0-ee ci-templates
#   policy-sidecar compose --ci-templates project:platform/ci-templates@v17.11.0-ee:ci-templates ...
#
# Pick the tag of your GitLab version (Help > About), so includes behave as your GitLab's would.
# GITLAB_REPO_URL overrides where the templates come from (a mirror of gitlab-org/gitlab).
set -eu

if [ "$#" -ne 2 ]; then
  echo "usage: $0 <gitlab tag, e.g. v17.11.0-ee> <destination folder>" >&2
  exit 2
fi
tag=$1
dest=$2
repo=${GITLAB_REPO_URL:-https://gitlab.com/gitlab-org/gitlab.git}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

git -C "$work" init -q
git -C "$work" remote add origin "$repo"
# Only the templates folder and the licence are checked out, and only their blobs fetched.
git -C "$work" sparse-checkout set --no-cone /lib/gitlab/ci/templates/ /LICENSE
git -C "$work" fetch -q --depth 1 --filter=blob:none origin "refs/tags/$tag"
git -C "$work" -c advice.detachedHead=false checkout -q FETCH_HEAD
commit=$(git -C "$work" rev-parse FETCH_HEAD)

mkdir -p "$dest"
cp -R "$work/lib/gitlab/ci/templates/." "$dest/"
cp "$work/LICENSE" "$dest/LICENSE"
cat > "$dest/SOURCE.md" <<EOT
# GitLab CI templates

Copied by policy-sidecar's scripts/mirror-ci-templates.sh, unchanged, from:

- repository: $repo
- tag: $tag
- commit: $commit
- folder: lib/gitlab/ci/templates/

Licence: see LICENSE (GitLab's; the files outside ee/ are MIT).
EOT
echo "GitLab CI templates of $tag ($commit) copied to $dest"
