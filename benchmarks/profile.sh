#!/usr/bin/env bash
# Profiles scenarios 1 (sync) and 3 (async) with JDK Flight Recorder, one side at a time,
# and writes a text summary of each recording (top frames, threads, allocations) to
# benchmarks/results/profile/. Run from anywhere after building the jar:
#   ./mvnw -q -pl benchmarks -am package -DskipTests && benchmarks/profile.sh
# Options: DURATION (default 10s per row), SCENARIOS (default "1 3"), SIDES (default "raw bus"),
# EXTRA (more benchmark options, e.g. --experiments).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/nats-bus-benchmarks.jar
out=benchmarks/results/profile
recordings=benchmarks/target/jfr
mkdir -p "$out" "$recordings"
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
# JDK's "profile" settings, but sampling Java stacks every 1 ms (instead of 10 ms) and more
# allocation samples, so that a 10 s row yields thousands of samples.
jfc="$recordings/profile-1ms.jfc"
sed -e 's|control="method-sampling-java-interval">10 ms<|control="method-sampling-java-interval">1 ms<|' \
    -e 's|control="method-sampling-native-interval">20 ms<|control="method-sampling-native-interval">10 ms<|' \
    -e 's|control="allocation-profiling">300/s<|control="allocation-profiling">3000/s<|' \
    "$java_home/lib/jfr/profile.jfc" > "$jfc"
for scenario in ${SCENARIOS:-1 3}; do
  for side in ${SIDES:-raw bus}; do
    name="s$scenario-$side"
    echo "== profiling scenario $scenario, side $side"
    java -XX:StartFlightRecording=filename="$recordings/$name.jfr",settings="$jfc" \
      -jar "$jar" --scenarios "$scenario" --side "$side" --duration "${DURATION:-10s}" --rounds 1 \
      --out "$recordings/run-$name" ${EXTRA:-} | grep -E '^[0-9] |^#' || true
    java -cp "$jar" dev.natsbus.benchmarks.JfrTop "$recordings/$name.jfr" 30 > "$out/$name.txt"
    echo "   summary: $out/$name.txt"
  done
done
