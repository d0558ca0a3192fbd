#!/usr/bin/env bash
# The sandbox: builds Tokenhost, lays out a fresh installation under target/sandbox with the example
# provider and receiver in plugins/, and starts it with the Gogo shell (try token:status).
#   ./sandbox.sh              interactive
#   ./sandbox.sh --seconds N  non-interactive: run N seconds, print what happened, exit 0 on success
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B -q install -DskipTests
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
root=target/sandbox
rm -rf "$root" && mkdir -p "$root"
tar -xzf "distribution/target/tokenhost-$version.tar.gz" -C "$root"
home=$(cd "$root/tokenhost-$version" && pwd)
cp "examples/example-provider/target/tokenhost-example-provider-$version.jar" "$home/plugins/"
cp "examples/example-receiver/target/tokenhost-example-receiver-$version.jar" "$home/plugins/"
printf 'service.name=example\nfile=%s\n' "$home/data/tokens/example.token" > "$home/conf/io.tokenhost.example.receiver.cfg"
printf 'token.lifetime=20s\n' > "$home/conf/io.tokenhost.example.provider.cfg"

if [ "${1:-}" != "--seconds" ]; then
  echo "Tokenhost sandbox at $home (tokens live 20 s, renewed at 15 s). Try: token:status, token:plugins; 'stop 0' quits."
  exec "$home/bin/tokenhost"
fi

seconds=${2:?usage: ./sandbox.sh --seconds N}
"$home/bin/tokenhost" --headless &
host=$!
trap 'kill $host 2>/dev/null; wait $host 2>/dev/null || true' EXIT
sleep "$seconds"
"$home/bin/tokenhost" client token:status
"$home/bin/tokenhost" client token:receivers
obtained=$(grep -c "Obtained tokens for 'example'" "$home/log/tokenhost.log" || true)
echo "tokens obtained for 'example' in $seconds s: $obtained (log: $home/log/tokenhost.log)"
[ -s "$home/data/tokens/example.token" ] && [ "$obtained" -ge 1 ]
