# shellcheck shell=bash
# Sourced by scripts/main and scripts/test: make sure the machine has what hvprobe needs,
# then export JAVA_HOME. Installs Debian packages when running as root; otherwise prints
# the exact apt-get line and stops.

hvprobe_fail() { echo "hvprobe setup: $*" >&2; exit 1; }

# Debian packages: runtime libraries, and the compilers the firmware-samples matrix uses.
HVPROBE_DEBS=(unzip libunicorn2 libunicorn-dev libcapstone4 make gcc clang gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu)

hvprobe_missing_debs() {
  local p missing=()
  for p in "${HVPROBE_DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]}"
}

hvprobe_ensure_debs() {
  command -v dpkg-query >/dev/null || hvprobe_fail "not a Debian-based system; install Unicorn 2, Capstone 4, gcc, clang and an aarch64 cross gcc by hand"
  local missing
  missing=$(hvprobe_missing_debs)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "hvprobe setup: missing Debian packages. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
    exit 1
  fi
  echo "hvprobe setup: installing $missing" >&2
  apt-get update -qq >&2 || hvprobe_fail "apt-get update failed"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2 || hvprobe_fail "apt-get install $missing failed"
}

hvprobe_java_feature() { # prints the feature release of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

hvprobe_ensure_jdk() {
  local v candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(hvprobe_java_feature "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 22 ]; then export JAVA_HOME; return 0; fi
  fi
  for candidate in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    v=$(hvprobe_java_feature "$candidate/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 22 ]; then export JAVA_HOME="$candidate"; return 0; fi
  done
  hvprobe_fail "no JDK >= 22 found (JAVA_HOME or /usr/lib/jvm/*). Install one, e.g. a Temurin 25 JDK, and set JAVA_HOME"
}

hvprobe_ensure_debs
hvprobe_ensure_jdk
export PATH="$JAVA_HOME/bin:$PATH"
