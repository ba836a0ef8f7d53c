# Sourced by ./structura, ./run-tests and .ci/run: exports JAVA_HOME pointing at a JDK 25 or newer.
# Order: $JAVA_HOME when it is new enough, then the system's usual JVM directories (newest first).
# Stops with install instructions when none is found.

structura_jdk_feature() {  # prints the feature release of the JDK at $1 (25 for "25.0.1"), or nothing
  [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

structura_find_jdk() {
  local want=25 candidate feature best="" best_feature=0
  if [ -n "${JAVA_HOME:-}" ]; then
    feature=$(structura_jdk_feature "$JAVA_HOME")
    if [ -n "$feature" ] && [ "$feature" -ge "$want" ]; then
      export JAVA_HOME
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$candidate" ] || continue
    feature=$(structura_jdk_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge "$want" ] && [ "$feature" -gt "$best_feature" ]; then
      best=$candidate
      best_feature=$feature
    fi
  done
  if [ -z "$best" ]; then
    cat >&2 <<MSG
structura: no JDK $want or newer found (looked at JAVA_HOME=${JAVA_HOME:-<unset>} and /usr/lib/jvm).
Install one, for example on Debian/Ubuntu with the Adoptium repository:
    apt-get install temurin-25-jdk
or download a JDK 25 from https://adoptium.net and set JAVA_HOME to it.
MSG
    return 1
  fi
  export JAVA_HOME=$best
}

structura_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
