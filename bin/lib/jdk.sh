# Sourced by bin/myelin and bin/test: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it qualifies, then the newest JDK under /usr/lib/jvm (Temurin 25 on the reference machine).

java_major() { "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'; }

find_java_home() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  while IFS= read -r d; do candidates+=("$d"); done < <(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV)
  local home major
  for home in "${candidates[@]}"; do
    if [[ -x "$home/bin/java" && -x "$home/bin/javac" ]]; then
      major="$(java_major "$home/bin/java")"
      if [[ -n "$major" && "$major" -ge 21 ]]; then echo "$home"; return 0; fi
    fi
  done
  return 1
}

if ! JAVA_HOME="$(find_java_home)"; then
  echo "myelin: no JDK >= 21 found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
  exit 1
fi
export JAVA_HOME

# Maven's bundled Guava touches sun.misc.Unsafe; on JDK >= 24 that prints a warning on every build.
if [[ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 && "${MAVEN_OPTS:-}" != *sun-misc-unsafe* ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
