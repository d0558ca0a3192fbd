#!/bin/sh
# Tokenhost sandbox: a real KDC, a Kerberos-secured HDFS, the Tokenhost distribution with the Hadoop
# bundle, and a separate JVM reading a file with nothing but the token file the host keeps fresh.
#   tools/sandbox.sh                interactive (Tokenhost shell on this terminal)
#   tools/sandbox.sh --renewals 3   non-interactive: exit 0 after 3 renewals with every read OK
#   tools/sandbox.sh --hygiene 20   update the bundle 20 times in a running host; print metaspace figures
#   tools/sandbox.sh --hbase [--renewals 3]   also a secure HBase: the Hadoop and HBase bundles write one
#                                   token file; a separate JVM reads an HDFS file and an HBase row with it
# Builds what it needs on first use.
set -e
cd "$(dirname -- "$0")/.."
if [ -n "$JAVA_HOME" ]; then JAVA=$JAVA_HOME/bin/java; else JAVA=java; fi
if [ "$1" = "--hbase" ]; then
  # KDC, secure HDFS and secure HBase with HBase's own Hadoop line: a module of its own (tools/sandbox-hbase).
  shift
  if [ ! -f tools/sandbox-hbase/target/sandbox-hbase/artifacts/tokenhost-hbase-bundle.jar ] || [ ! -d tools/sandbox-hbase/target/classes ]; then
    echo "[sandbox] building the HBase sandbox (first run: a few minutes) ..."
    ./mvnw -B -q package -DskipTests -pl tools/sandbox-hbase -am
  fi
  exec "$JAVA" -Xmx1500m --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    -cp "tools/sandbox-hbase/target/classes:tools/sandbox-hbase/target/sandbox-hbase/lib/*" \
    -Dtokenhost.sandbox.artifacts=tools/sandbox-hbase/target/sandbox-hbase/artifacts \
    io.tokenhost.sandbox.hbase.HBaseSandbox "$@"
fi
if [ ! -f tools/sandbox/target/sandbox/artifacts/tokenhost-distribution.tar.gz ] || [ ! -d tools/sandbox/target/classes ] \
   || [ ! -f tools/sandbox/target/sandbox/artifacts/tokenhost-hadoop-bundle.jar ]; then
  echo "[sandbox] building (first run: a few minutes) ..."
  ./mvnw -B -q package -DskipTests -pl tools/sandbox -am
fi
MAIN=io.tokenhost.sandbox.Sandbox
if [ "$1" = "--hygiene" ]; then
  # Updates the bundle N times (default 20) in a running host; prints metaspace figures.
  MAIN=io.tokenhost.sandbox.HygieneMeasure; shift
fi
exec "$JAVA" -Xmx1g -cp "tools/sandbox/target/classes:tools/sandbox/target/sandbox/lib/*" \
  -Dtokenhost.sandbox.artifacts=tools/sandbox/target/sandbox/artifacts \
  "$MAIN" "$@"
