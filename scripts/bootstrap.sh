# shellcheck shell=bash
# Sourced by scripts/main and scripts/test: make sure the machine has what hvprobe needs,
# then export JAVA_HOME. Installs Debian packages when running as root; otherwise prints
# the exact apt-get line and stops.

hvprobe_fail() { echo "hvprobe setup: $*" >&2; exit 1; }

# Where JDKs are looked for besides JAVA_HOME (overridable for testing the set-up itself).
HVPROBE_JVM_DIR=${HVPROBE_JVM_DIR:-/usr/lib/jvm}
# The oldest usable JDK: FFM is final since 22, but the build compiles with maven.compiler.release 25 (pom.xml),
# which only a JDK >= 25 can do (and only a Java >= 25 can run).
HVPROBE_MIN_JDK=25

# Debian packages: runtime libraries, and the compilers the firmware-samples matrix uses.
HVPROBE_DEBS=(unzip libunicorn2 libunicorn-dev libcapstone4 make gcc clang gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu)
# The test suite also opens the HTML report in a browser (HtmlReportIT): scripts/test sets HVPROBE_TEST_DEBS=1.
if [ "${HVPROBE_TEST_DEBS:-}" = 1 ]; then
  HVPROBE_DEBS+=(chromium)
fi

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

# Sets JAVA_HOME to a JDK >= HVPROBE_MIN_JDK in JAVA_HOME or under the JVM directory; returns 1 if there is none.
hvprobe_find_jdk() {
  local v candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(hvprobe_java_feature "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge "$HVPROBE_MIN_JDK" ]; then export JAVA_HOME; return 0; fi
  fi
  for candidate in "$HVPROBE_JVM_DIR"/temurin-25* "$HVPROBE_JVM_DIR"/*25* "$HVPROBE_JVM_DIR"/*; do
    [ -x "$candidate/bin/javac" ] || continue
    v=$(hvprobe_java_feature "$candidate/bin/java")
    if [ -n "$v" ] && [ "$v" -ge "$HVPROBE_MIN_JDK" ]; then export JAVA_HOME="$candidate"; return 0; fi
  done
  return 1
}

# The JDKs that were found but are too old, e.g. "/usr/lib/jvm/java-17-openjdk-amd64 (Java 17)".
hvprobe_too_old_jdks() {
  local candidate v found=()
  for candidate in ${JAVA_HOME:+"$JAVA_HOME"} "$HVPROBE_JVM_DIR"/*; do
    [ -x "$candidate/bin/java" ] || continue
    v=$(hvprobe_java_feature "$candidate/bin/java")
    found+=("$candidate (Java ${v:-?})")
  done
  [ "${#found[@]}" -eq 0 ] && { echo "none"; return 0; }
  local joined
  joined=$(printf '%s, ' "${found[@]}")
  echo "${joined%, }"
}

# The newest openjdk-N-jdk (N >= HVPROBE_MIN_JDK) the configured apt sources offer, or nothing.
hvprobe_debian_jdk() {
  command -v apt-cache >/dev/null || return 0
  local n
  for n in $(seq 30 -1 "$HVPROBE_MIN_JDK"); do
    if apt-cache policy "openjdk-$n-jdk" 2>/dev/null | grep -q '^ *Candidate: [0-9]'; then
      echo "openjdk-$n-jdk"
      return 0
    fi
  done
}

hvprobe_ensure_jdk() {
  hvprobe_find_jdk && return 0
  local package
  package=$(hvprobe_debian_jdk)
  if [ -z "$package" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >&2 || hvprobe_fail "apt-get update failed"
    package=$(hvprobe_debian_jdk)
  fi
  if [ -n "$package" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "hvprobe setup: no JDK >= $HVPROBE_MIN_JDK found (have: $(hvprobe_too_old_jdks)). Run:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y $package" >&2
      exit 1
    fi
    echo "hvprobe setup: installing $package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >&2 || hvprobe_fail "apt-get install $package failed"
    hvprobe_find_jdk && return 0
    hvprobe_fail "installed $package but found no JDK >= $HVPROBE_MIN_JDK under $HVPROBE_JVM_DIR"
  fi
  # Debian 12 packages only OpenJDK 17, which is too old.
  hvprobe_fail "no JDK >= $HVPROBE_MIN_JDK found (have: $(hvprobe_too_old_jdks)) and the apt sources offer no" \
    "openjdk-$HVPROBE_MIN_JDK..30-jdk. Install a Temurin 25 JDK (package temurin-25-jdk from" \
    "https://packages.adoptium.net, see https://adoptium.net/installation/linux/) or unpack one under" \
    "$HVPROBE_JVM_DIR, or set JAVA_HOME to a JDK >= $HVPROBE_MIN_JDK."
}

hvprobe_ensure_debs
hvprobe_ensure_jdk
export PATH="$JAVA_HOME/bin:$PATH"
