# shellcheck shell=bash
# Seeds the local test services for the demo scripts (test/main-job, test/real-jenkins/try-*), after
# `. test/services/env`. Nothing here puts a secret in an argument: docker and git read them from stdin or a helper.

# seed_image REPOSITORY TAG SCRATCH_DIR: builds a one-file image FROM scratch and pushes it to the test registry.
seed_image() {
  local dir=$3/image ref="$GULI_TEST_REGISTRY/$1:$2"
  mkdir -p "$dir" && date > "$dir/built-at"
  printf 'FROM scratch\nCOPY built-at /built-at\n' > "$dir/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t "$ref" "$dir" >/dev/null
  # the login lands in a throw-away DOCKER_CONFIG, deleted with the scratch dir
  local out
  out=$(DOCKER_CONFIG=$3/docker docker login -u "$GULI_TEST_REGISTRY_USER" --password-stdin "$GULI_TEST_REGISTRY" \
    < "$GULI_TEST_REGISTRY_PASSWORD_FILE" 2>&1) || { echo "$out" >&2; return 1; }
  DOCKER_CONFIG=$3/docker docker push -q "$ref" >/dev/null
  echo "seeded image $ref"
}

# seed_git NAME SCRATCH_DIR: a bare repository NAME.git on the test git server with one commit on master
# (left as it is when it exists); prints its URL.
seed_git() {
  local bare=$GULI_TEST_GIT_ROOT/$1.git src=$2/src-$1
  if [ ! -d "$bare" ]; then
    git init -q --bare -b master "$bare"
    git init -q -b master "$src" && echo "$1" > "$src/README.md"
    git -C "$src" add README.md && git -C "$src" -c user.name=dev -c user.email=dev@example.com commit -qm first
    git -C "$src" -c credential.helper= -c credential.helper="$GULI_TEST_GIT_CREDENTIAL_HELPER" \
      push -q "$GULI_TEST_GIT_URL/$1.git" master
  fi
  echo "$GULI_TEST_GIT_URL/$1.git"
}
