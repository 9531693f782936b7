# Shared shell of the SIPp benchmarks (scripts/bench/fanout, scripts/bench/compare): sourced, not run.
# It starts the system under test (Herald from its jar, or Kamailio with kamailio-presence.cfg),
# drives it with the SIPp scenarios of test-fixtures, and measures. The sourcing script sets, before
# sourcing: ROOT, W, P, R, D, TRANSPORT, SIPP_T, HEAP, XMS, SETUP, WARMUP, PROFILE, JSTACK, KEEP,
# QUIET_WAIT, RETRY_NOISY, JVM_OPTS and a die function; then calls herald_jar and bench_workdir.
# It may set SERVER (herald | kamailio; default herald), KAMAILIO_SHM_MB and KAMAILIO_CHILDREN.
# Sourcing it installs the EXIT trap that stops every process started here.
# ------------------------------------------------------------------ build (as scripts/run)
MODULES="trunk-config sip-stack im-gateway presence-gateway"
jar_stale() {
  [ -f "$JAR" ] || return 0
  local m srcs=(pom.xml config)
  for m in $MODULES; do srcs+=("$m/pom.xml" "$m/src/main"); done
  [ -n "$(find "${srcs[@]}" -newer "$JAR" -type f -print -quit 2>/dev/null)" ]
}
herald_jar() { # [jar]: sets JAR to the given jar, or to the work tree's (built when stale)
  JAR=presence-gateway/target/herald.jar
  if [ -n "${1:-}" ]; then
    [ -f "$1" ] || die "no such jar: $1"
    JAR=$1
  elif jar_stale; then
    echo "building Herald (mvn -B -q -DskipTests -pl presence-gateway -am install)..." >&2
    mvn -B -q -DskipTests -pl presence-gateway -am install >&2 || die "build failed (--jar FILE benchmarks an existing build)"
  fi
}

# ------------------------------------------------------------------ work dir, cleanup
WORK=""
bench_workdir() { # name: WORK, a fresh directory with a copy of $JAR
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  # run a copy: a build in the work tree during the benchmark must not swap the jar under Herald
  cp "$JAR" "$WORK/herald.jar" || die "cannot copy $JAR"
}
PIDS=()   # every process started, stopped on exit
# true when the pid is a child of this script: a pid noted earlier may have ended and been
# reused by another process since, which must not be signalled
ours() { [ "$(awk '{ sub(/^.*\) /, ""); print ($1 == "Z" ? "ended" : $2) }' "/proc/$1/stat" 2>/dev/null)" = "$$" ]; }
stop_pid() { # pid: TERM, up to 6 s, then KILL; only a child of this script
  local pid=$1 i
  ours "$pid" || return 0
  pkill -TERM -P "$pid" 2>/dev/null   # its own children first (a subshell's sleep)
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 60); do ours "$pid" || break; sleep 0.1; done
  ours "$pid" && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}
NOT_CLEAN_SEEN=0
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ -z "$WORK" ]; then
    :
  elif [ "$KEEP" = 1 ] || [ "$NOT_CLEAN_SEEN" = 1 ]; then
    echo "work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ------------------------------------------------------------------ helpers
port_in_use() { # port: listed in /proc/net/{tcp,udp}{,6}?
  awk -v p="$(printf ':%04X' "$1")" 'FNR > 1 && substr($2, length($2) - 4) == p { f = 1 }
    END { exit !f }' /proc/net/tcp /proc/net/udp /proc/net/tcp6 /proc/net/udp6 2>/dev/null
}
TAKEN=" "
free_port() { # a port free for both UDP and TCP, not handed out before in this run
  local p i
  for i in $(seq 1 500); do
    p=$((20000 + RANDOM % 30000))
    [[ $TAKEN == *" $p "* ]] && continue
    port_in_use "$p" && continue
    TAKEN+="$p "; echo "$p"; return 0
  done
  die "no free port found"
}
udp_drops() { # port: datagrams dropped by the UDP socket(s) bound to it (receive buffer full)
  awk -v p="$(printf ':%04X' "$1")" 'FNR > 1 && substr($2, length($2) - 4) == p { d += $NF }
    END { print d + 0 }' /proc/net/udp /proc/net/udp6 2>/dev/null
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
proc_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $9, $5 + $6; exit }' /proc/stat; }
thread_ticks() { # "tid<TAB>name<TAB>ticks" for every thread of a process
  awk '{ l = $0; i = index(l, "("); j = 0
         for (k = length(l); k > i; k--) if (substr(l, k, 1) == ")") { j = k; break }
         name = substr(l, i + 1, j - i - 1); n = split(substr(l, j + 2), f, " ")
         print $1 "\t" name "\t" f[12] + f[13] }' /proc/"$1"/task/*/stat 2>/dev/null
}
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
# used heap after a full GC, MB
heap_after_gc() {
  local pid=$1
  jcmd "$pid" GC.run >/dev/null 2>&1 || { echo "?"; return; }
  # G1: "garbage-first heap total 1048576K, used 23456K"; ZGC: "ZHeap used 50M, capacity ..."
  jcmd "$pid" GC.heap_info 2>/dev/null | awk '
    / used [0-9]+[KMG]/ { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); u = v
                      sub(/[KMG].*/, "", v); sub(/^[0-9]+/, "", u); u = substr(u, 1, 1)
                      printf "%.1f", (u == "K" ? v / 1024 : (u == "G" ? v * 1024 : v)); exit } }'
}
# value of a column of the last line of a SIPp CSV (';'), by exact header name
csv_last() { # file column
  [ -f "${1:-}" ] || { echo 0; return; }
  awk -F';' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) col = i; next }
    { last = $0 } END { if (!col || last == "") { print 0; exit }
      split(last, f, ";"); v = f[col]; print v + 0 }' "$1" 2>/dev/null || echo 0
}
# sum of the n-th occurrence of a step counter suffix in a -trace_counts file, last line
# counts_nth file suffix n   (e.g. _NOTIFY_Recv 2 = the second NOTIFY recv step)
counts_nth() {
  [ -f "${1:-}" ] || { echo 0; return; }
  awk -F';' -v s="$2" -v n="$3" 'NR == 1 { k = 0
      for (i = 1; i <= NF; i++) if (substr($i, length($i) - length(s) + 1) == s && ++k == n) col = i
      next }
    { last = $0 } END { if (!col || last == "") { print 0; exit }
      split(last, f, ";"); print f[col] + 0 }' "$1" 2>/dev/null || echo 0
}
# last column of a counts file whose header ends with the suffix (the stale pause step)
counts_last_of() {
  [ -f "${1:-}" ] || { echo 0; return; }
  awk -F';' -v s="$2" 'NR == 1 { for (i = 1; i <= NF; i++)
      if (substr($i, length($i) - length(s) + 1) == s) col = i; next }
    { last = $0 } END { if (!col || last == "") { print 0; exit }
      split(last, f, ";"); print f[col] + 0 }' "$1" 2>/dev/null || echo 0
}
wait_exit() { # pid seconds: true when the process ended in time
  local pid=$1 deadline=$(( $(date +%s) + $2 ))
  while kill -0 "$pid" 2>/dev/null; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.5
  done
  return 0
}
exit_code() { # pid: its exit code (after it ended)
  local rc
  wait "$1" 2>/dev/null; rc=$?
  echo "$rc"
}
say() { echo "$*" | tee -a "$WORK/report.txt"; }
# Herald's own JVM flags (config/jvm.options, which start_server passes first), for the reports
jvm_options() { sed 's/#.*//' "$ROOT/config/jvm.options" | xargs; }
# the methods most often on top of the sampled stacks, and the first Herald/JAIN-SIP frame
jfr_top() { # file.jfr
  jfr print --events jdk.ExecutionSample "$1" 2>/dev/null | awk '
    /stackTrace = \[/ { depth = 0; own = ""; next }
    /^[[:space:]]+[a-zA-Z_$][a-zA-Z0-9_$.]*\(.*line:/ {
      f = $1; sub(/\(.*/, "", f); depth++
      if (depth == 1) { top[f]++; n++ }
      if (own == "" && (f ~ /^dev\.herald\./ || f ~ /^gov\.nist\./)) { own = f; mine[f]++ }
    }
    END {
      if (n == 0) { print "(no samples)"; exit }
      for (f in top) printf "top   %5.1f%%  %s\n", top[f] * 100 / n, f | "sort -k2 -rn | head -15"
      close("sort -k2 -rn | head -15")
      for (f in mine) printf "first %5.1f%%  %s\n", mine[f] * 100 / n, f | "sort -k2 -rn | head -15"
    }'
}


# share of the samples per area of work, by the topmost frame in Herald or JAIN-SIP (JDK and
# library frames above it, sockets, XML parsers, collections, count for the area that called
# them); GC is not in these samples (see the GC threads' CPU and the pauses)
jfr_areas() { # file.jfr
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$1" 2>/dev/null | awk '
    function area(f) {
      if (f ~ /MessageValidation|ValidatingParserFactory/) return "validation (Herald checks on each message)"
      if (f ~ /^gov\.nist\.javax\.sip\.parser\.|^gov\.nist\.core\.(LexerCore|StringTokenizer|ParserCore|HostNameParser|LexerMap)/) return "parse (JAIN-SIP parser)"
      if (f ~ /\.encode[A-Za-z]*$|\.toString$/) return "encode (message to text/bytes)"
      if (f ~ /receive|CompactDatagram|UDPMessageProcessor\.run|readPacket/) return "receive (socket read, intake queue)"
      if (f ~ /sendMessage|sendBytes|sendSingle|sendRequest|sendResponse/) return "send (socket write)"
      if (f ~ /BlockingQueueDispatchAuditor|ThreadAuditor/) return "hand-off to the message threads (queue, locks)"
      if (f ~ /^dev\.herald\.presence\.pidf\./) return "PIDF parse and compose"
      if (f ~ /^dev\.herald\.sip\.dialog\.|[Nn]otif/) return "NOTIFY build (dialog requests)"
      if (f ~ /^dev\.herald\.concurrent\./) return "lanes (keyed executor)"
      if (f ~ /^dev\.herald\.presence\./) return "presence engine (other)"
      if (f ~ /^gov\.nist\.javax\.sip\.(header|message|address)\./) return "SIP headers and messages (build, clone)"
      if (f ~ /^gov\.nist\./) return "transactions, dialogs, timers (JAIN-SIP stack)"
      if (f ~ /^dev\.herald\./) return "Herald (other)"
      return "other"
    }
    /stackTrace = \[/ { if (open) { a[own == "" ? "JDK only (no Herald or JAIN-SIP frame)" : area(own)]++; n++ }
                        open = 1; own = ""; next }
    open && /^[[:space:]]+[a-zA-Z_$][a-zA-Z0-9_$.]*\(.*line:/ {
      f = $1; sub(/\(.*/, "", f)
      if (own == "" && (f ~ /^dev\.herald\./ || f ~ /^gov\.nist\./)) own = f
    }
    END {
      if (open) { a[own == "" ? "JDK only (no Herald or JAIN-SIP frame)" : area(own)]++; n++ }
      if (n == 0) { print "(no samples)"; exit }
      for (k in a) printf "%5.1f%%  %s\n", a[k] * 100 / n, k | "sort -rn"
      close("sort -rn")
      printf "(%d samples)\n", n
    }'
}

# ------------------------------------------------------------------ a quiet machine
# CPU used by the whole machine over 3 s, % of one core
machine_busy() {
  local a b
  a=$(machine_ticks); sleep 3; b=$(machine_ticks)
  awk -v a="$a" -v b="$b" -v c="$(nproc)" 'BEGIN { split(a, x, " "); split(b, y, " ")
    busy = y[1] - x[1] + y[2] - x[2]; t = busy + y[3] - x[3]; if (t <= 0) t = 1
    printf "%.0f", busy / t * c * 100 }'
}
wait_quiet() {
  local deadline=$(( $(date +%s) + QUIET_WAIT )) busy waited=0
  while :; do
    busy=$(machine_busy)
    [ "$busy" -le 15 ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      say "machine:   still busy after ${QUIET_WAIT} s of waiting ($busy% of a core used by others): running anyway"
      return
    fi
    [ "$waited" = 0 ] && echo "waiting for the machine to be quiet (others use $busy% of a core)..." >&2
    waited=1
  done
  [ "$waited" = 1 ] && say "machine:   waited until quiet (others at $busy% of a core)"
  return 0
}

# ------------------------------------------------------------------ Herald
SERVER_PID=""
start_herald() { # dir max_pubs
  local dir=$1 max_pubs=$2 port i
  port=$(free_port)
  HPORT=$port
  local max_pres=$(( P * 2 > 100000 ? P * 2 : 100000 ))
  local max_subs=$(( (W + P - 1) / P * 2 + 1000 ))
  cat > "$dir/herald.yaml" <<EOF
# written by scripts/bench/fanout
listeners:
  - transport: udp
    address: 127.0.0.1
    port: $port
  - transport: tcp
    address: 127.0.0.1
    port: $port
domains:
  - herald.test
security:
  trusted-peers: [127.0.0.1]   # the load comes from loopback: no digest challenges
directory:
  source: none                 # no user directory: every user<N>@herald.test exists
presence:
  publish:
    min-expires: 60
    default-expires: 3600
    max-expires: 86400
  subscribe:
    min-expires: 60
    default-expires: 3600
    max-expires: 86400
  max-presentities: $max_pres
  max-subscriptions-per-presentity: $max_subs
  max-publications-per-presentity: $max_pubs
EOF
  # A build from before authentication knows neither security nor directory: without them then.
  if ! java -jar "$WORK/herald.jar" --check-config "$dir/herald.yaml" > "$dir/check-config.out" 2>&1; then
    if grep -q -E '^[^:]*: (security|directory): unknown key' "$dir/check-config.out"; then
      awk '/^(security|directory):/ { skip = 1; next } skip && /^  / { next } { skip = 0; print }' \
        "$dir/herald.yaml" > "$dir/herald.yaml.new" && mv "$dir/herald.yaml.new" "$dir/herald.yaml"
    fi
    java -jar "$WORK/herald.jar" --check-config "$dir/herald.yaml" > "$dir/check-config.out" 2>&1 ||
      { echo "the bench config is invalid for this Herald:" >&2; cat "$dir/check-config.out" >&2; exit 1; }
  fi
  # With --profile, JFR runs from the JVM's start (keeping 2 minutes): a first JFR.start in the
  # middle of a step stalled Herald for the rest of it at 2,000+ setups/s (BENCHMARKS.md), while a
  # second recording started then, as the steps do, costs nothing noticeable.
  local jfr=""
  [ "$PROFILE" = 1 ] && jfr="-XX:StartFlightRecording=settings=default,maxage=2m"
  # shellcheck disable=SC2086  # JVM_OPTS is a list of flags
  java -Xms${XMS}m -Xmx${HEAP}m @"$ROOT/config/jvm.options" $JVM_OPTS $jfr -Xlog:gc:file="$dir/gc.log":uptime -jar "$WORK/herald.jar" --config "$dir/herald.yaml" \
    > "$dir/herald.log" 2>&1 < /dev/null &
  SERVER_PID=$!
  SERVER_T0=$(now)
  PIDS+=("$SERVER_PID")
  for i in $(seq 1 300); do
    grep -q "Herald started" "$dir/herald.log" 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "Herald did not start; its log:" >&2
  tail -20 "$dir/herald.log" >&2
  exit 1
}

# ------------------------------------------------------------------ Kamailio
# Kamailio with scripts/bench/kamailio-presence.cfg: memory-only presence, KAMAILIO_CHILDREN
# workers per transport, KAMAILIO_SHM_MB of shared memory (-m), 16 MB private per process (-M)
KAMAILIO_SHM_MB=${KAMAILIO_SHM_MB:-4096}
KAMAILIO_CHILDREN=${KAMAILIO_CHILDREN:-2}
start_kamailio() { # dir
  local dir=$1 port i
  port=$(free_port)
  HPORT=$port
  sed -e "s/@PORT@/$port/g" -e "s/@CHILDREN@/$KAMAILIO_CHILDREN/g" \
    "$ROOT/scripts/bench/kamailio-presence.cfg" > "$dir/kamailio.cfg"
  kamailio -f "$dir/kamailio.cfg" -c > "$dir/check-config.out" 2>&1 ||
    { echo "kamailio rejects the bench config:" >&2; cat "$dir/check-config.out" >&2; exit 1; }
  # -DD: stay in the foreground (a child of this script), still forking the workers; -E: log to stderr
  kamailio -f "$dir/kamailio.cfg" -DD -E -m "$KAMAILIO_SHM_MB" -M 16 -Y "$dir" \
    > "$dir/kamailio.log" 2>&1 < /dev/null &
  SERVER_PID=$!
  SERVER_T0=$(now)
  PIDS+=("$SERVER_PID")
  # up when the workers listen (the UDP socket is bound) and all processes are forked
  for i in $(seq 1 100); do
    if port_in_use "$port" && [ "$(server_pids | wc -l)" -gt 2 ]; then sleep 1; return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "Kamailio did not start; its log:" >&2
  tail -20 "$dir/kamailio.log" >&2
  exit 1
}
kamailio_version() { kamailio -v 2>/dev/null | awk '/^version:/ { print $2, $3; exit }'; }

# ------------------------------------------------------------------ the system under test
start_server() { # dir max_pubs
  case "${SERVER:-herald}" in
    herald) start_herald "$@" ;;
    kamailio) start_kamailio "$1" ;;
    *) die "unknown server ${SERVER:-}" ;;
  esac
}
# the server's processes: Herald is one JVM; Kamailio a main process and its forked workers
server_pids() {
  echo "$SERVER_PID"
  [ "${SERVER:-herald}" = kamailio ] && pgrep -P "$SERVER_PID" 2>/dev/null
  return 0
}
server_ticks() { # CPU ticks used by all the server's processes
  local p s=0
  for p in $(server_pids); do s=$(( s + $(proc_ticks "$p") )); done
  echo "$s"
}
# resident memory of the server, kB: the sum of the proportional set sizes (Pss) of its processes,
# so the shared memory Kamailio's workers all map is counted once (as smem does); for one process
# (Herald) that is its VmRSS less the shared libraries' share
server_pss_kb() {
  local p s=0 v
  for p in $(server_pids); do
    v=$(awk '/^Pss:/ { print $2; exit }' "/proc/$p/smaps_rollup" 2>/dev/null)
    s=$(( s + ${v:-0} ))
  done
  echo "$s"
}
server_rss_kb() { # VmRSS summed over the server's processes (counts shared pages once per process)
  local p s=0 v
  for p in $(server_pids); do
    v=$(awk '/^VmRSS:/ { print $2; exit }' "/proc/$p/status" 2>/dev/null)
    s=$(( s + ${v:-0} ))
  done
  echo "$s"
}
server_heap() { # Herald: heap used after a full GC, MB; Kamailio: -
  if [ "${SERVER:-herald}" = herald ]; then heap_after_gc "$SERVER_PID"; else echo "-"; fi
}
server_log() { # dir: the server's log file
  if [ "${SERVER:-herald}" = herald ]; then echo "$1/herald.log"; else echo "$1/kamailio.log"; fi
}
server_log_errors() { # dir: warning and error lines in the server's log
  if [ "${SERVER:-herald}" = herald ]; then
    grep -c -E ' (WARN|ERROR) ' "$1/herald.log" 2>/dev/null
  else
    grep -c -E ' (WARNING|ERROR|CRITICAL|ALERT|BUG): ' "$1/kamailio.log" 2>/dev/null
  fi
}

# SIPp in the background, no TTY: -nostdin, screen to a file, the rest to $dir
start_sipp() { # dir name port args...  -> SIPP_PID
  local dir=$1 name=$2 port=$3
  shift 3
  ( cd "$dir" && exec sipp "127.0.0.1:$HPORT" -sf "$dir/$name.xml" -t "$SIPP_T" -i 127.0.0.1 \
      -p "$port" -nd -nostdin -f 5 \
      -trace_screen -screen_file "$dir/$name.screen" \
      -trace_stat -stf "$dir/$name.stat.csv" -fd 1 \
      -trace_err -error_file "$dir/$name.errors.log" \
      -buff_size 4194304 \
      -watchdog_major_maxtriggers 1000 -watchdog_minor_maxtriggers 100000 \
      "$@" > "$dir/$name.out" 2>&1 < /dev/null ) &
  SIPP_PID=$!
  PIDS+=("$SIPP_PID")
}

# watcher CSV: user i%P and the note of the last PUBLISH to that presentity (none if none)
write_watchers() { # file calls [user-prefix]
  awk -v w="$W" -v p="$P" -v n="$2" -v u="${3:-user}" 'BEGIN { print "SEQUENTIAL"
    for (i = 0; i < w; i++) { k = i % p
      if (n > k) { c = k + 1 + p * int((n - 1 - k) / p); note = "n" c } else note = "none"
      print u k ";" note } }' > "$1"
}

# ------------------------------------------------------------------ warm-up
# A whole fan-out over the presentities warm0..warmP-1 with their own watchers; its
# publications and subscriptions live on (Expires 3600) but see no more traffic.
warmup() { # dir rate calls
  local dir=$1 rate=$2 calls=$3
  cp "$dir/watcher.xml" "$dir/warm-watcher.xml"; cp "$dir/publisher.xml" "$dir/warm-publisher.xml"
  write_watchers "$dir/warm-watchers.csv" "$calls" warm
  awk -v p="$P" 'BEGIN { print "SEQUENTIAL"; for (k = 0; k < p; k++) print "warm" k }' > "$dir/warm-publishers.csv"
  local t0; t0=$(now)
  start_sipp "$dir" warm-watcher "$(free_port)" -inf "$dir/warm-watchers.csv" -key domain herald.test \
    -key expires 3600 -key idle_rounds 10 -key end_rounds $(( (P / rate + 2) / 8 + 1 )) \
    -r "$SETUP" -m "$W" -l "$W" -trace_counts
  local wpid=$SIPP_PID counts initial=0 deadline=$(( $(date +%s) + W / SETUP + 60 ))
  while kill -0 "$wpid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
    sleep 0.5
    counts=$(ls "$dir"/warm-watcher_*_counts.csv 2>/dev/null | head -1)
    [ -n "$counts" ] && initial=$(counts_nth "$counts" _NOTIFY_Recv 1)
    [ "$initial" -ge "$W" ] && break
  done
  # Two halves: half the warm-up rate, then the warm-up rate (a ramp). A cold JVM (C2 still
  # compiling) is slower than a warm one, and starting at the full rate overloaded a cold Herald
  # at 1,500/s and above: its 503s and the retransmissions then filled the measured step.
  local r1=$(( (rate + 1) / 2 )) n1 n2 pf=0 f k
  n1=$(( r1 * (calls / rate / 2) )); n2=$(( calls - calls / rate / 2 * rate ))
  for k in 1 2; do
    local r=$rate n=$n2; [ "$k" = 1 ] && r=$r1 n=$n1
    [ "$n" -gt 0 ] || continue
    cp "$dir/warm-publisher.xml" "$dir/warm-publisher$k.xml"
    start_sipp "$dir" "warm-publisher$k" "$(free_port)" -inf "$dir/warm-publishers.csv" \
      -key domain herald.test -key expires 3600 -r "$r" -m "$n" -l $(( r * 10 )) \
      -timeout $(( WARMUP * 3 + 60 ))s
    local ppid=$SIPP_PID
    wait_exit "$ppid" $(( WARMUP * 3 + 70 )) || stop_pid "$ppid"
    f=$(csv_last "$dir/warm-publisher$k.stat.csv" 'FailedCall(C)'); pf=$(( pf + ${f:-0} ))
  done
  wait_exit "$wpid" 90 || stop_pid "$wpid"
  local changes
  counts=$(ls "$dir"/warm-watcher_*_counts.csv 2>/dev/null | head -1)
  changes=$(counts_nth "$counts" _NOTIFY_Recv 2)
  say "warm-up:   $(( n1 + n2 )) PUBLISH ($n1 at $r1/s, then $n2 at $rate/s) over warm0..warm$((P - 1)) with $W other watchers: $pf failed, $initial initial + $changes change NOTIFYs, $(elapsed "$t0" "$(now)") s"
}

# The measured path of the setup part, warmed as the fan-out warm-up warms the fan-out's: new
# subscriptions (subscribe-setup) to warm0..warmP-1 at the given rate for the given seconds.
# Without it a JVM still compiled SUBSCRIBE's path during the measured step: JFR counted 2-4 s of
# JIT compilation in its 8 s (issue 7, BENCHMARKS.md). The subscriptions live on (Expires 3600),
# on both systems alike.
setup_warmup() { # dir rate seconds
  local dir=$1 rate=$2 secs=$3 calls=$(( $2 * $3 ))
  [ "$calls" -gt 0 ] || return 0
  cp "$dir/setup.xml" "$dir/warm-setup.xml"
  awk -v n="$calls" -v p="$P" 'BEGIN { print "SEQUENTIAL"; for (i = 0; i < n; i++) print "warm" (i % p) }' \
    > "$dir/warm-setup.csv"
  local t0; t0=$(now)
  start_sipp "$dir" warm-setup "$(free_port)" -inf "$dir/warm-setup.csv" -key domain herald.test \
    -key expires 3600 -r "$rate" -m "$calls" -l "$calls" -timeout $(( secs * 3 + 70 ))s
  local wpid=$SIPP_PID
  wait_exit "$wpid" $(( secs * 3 + 80 )) || stop_pid "$wpid"
  local ok failed
  ok=$(csv_last "$dir/warm-setup.stat.csv" 'SuccessfulCall(C)')
  failed=$(csv_last "$dir/warm-setup.stat.csv" 'FailedCall(C)')
  say "warm-up:   $calls new subscriptions at $rate/s to warm0..warm$((P - 1)): $ok set up, $failed failed, $(elapsed "$t0" "$(now)") s"
}

# ------------------------------------------------------------------ one fan-out run
# sets RES_* for the summary table
fanout_run() { # rate label
  local rate=$1 label=$2
  local dir="$WORK/$label"
  local calls=$(( rate * D ))
  mkdir -p "$dir"
  cp "$ROOT/test-fixtures/src/main/resources/sipp/fanout-watcher/scenario.xml" "$dir/watcher.xml"
  cp "$ROOT/test-fixtures/src/main/resources/sipp/fanout-publisher/scenario.xml" "$dir/publisher.xml"
  write_watchers "$dir/watchers.csv" "$calls"
  awk -v p="$P" 'BEGIN { print "SEQUENTIAL"; for (k = 0; k < p; k++) print "user" k }' \
    > "$dir/publishers.csv"

  say "-- $label: $rate PUBLISH/s for $D s, $W watchers over $P presentities, $TRANSPORT --"
  wait_quiet
  local warm_rate=$(( (rate + 1) / 2 ))
  local warm_calls=$(( warm_rate * WARMUP ))
  local most=$(( calls > warm_calls ? calls : warm_calls ))
  start_server "$dir" $(( (most + P - 1) / P + 32 ))
  [ "$WARMUP" -gt 0 ] && warmup "$dir" "$warm_rate" "$warm_calls"

  # watchers: wait up to idle_rounds x 8 s for the first change, end 8 s x end_rounds after the
  # last one (end_rounds covers the time between two PUBLISHes to one presentity)
  local setup_s=$(( (W + SETUP - 1) / SETUP ))
  local idle_rounds=$(( (setup_s + P / rate + 60) / 8 + 1 ))
  local end_rounds=$(( (P / rate + 2) / 8 + 1 ))
  local wport pport
  wport=$(free_port); pport=$(free_port)
  local t0 t_sub t_pub0 t_pub1 t_end
  t0=$(now)
  start_sipp "$dir" watcher "$wport" -inf "$dir/watchers.csv" -key domain herald.test \
    -key expires 3600 -key idle_rounds "$idle_rounds" -key end_rounds "$end_rounds" \
    -r "$SETUP" -m "$W" -l "$W" -trace_counts
  local wpid=$SIPP_PID counts=""
  # UDP receive-buffer drops per socket (Herald, watcher, publisher), sampled while they exist
  ( while :; do echo "$(udp_drops "$HPORT") $(udp_drops "$wport") $(udp_drops "$pport")"; sleep 0.5
    done > "$dir/udp-drops.txt" 2>/dev/null ) &
  local sampler=$!
  PIDS+=("$sampler")
  # until every watcher has its initial NOTIFY (or failed), bounded
  local deadline=$(( $(date +%s) + setup_s + 60 )) initial=0 wfailed=0
  while :; do
    sleep 0.5
    counts=$(ls "$dir"/watcher_*_counts.csv 2>/dev/null | head -1)
    if [ -n "$counts" ]; then
      initial=$(counts_nth "$counts" _NOTIFY_Recv 1)
      wfailed=$(csv_last "$dir/watcher.stat.csv" 'FailedCall(C)')
      [ $(( initial + wfailed )) -ge "$W" ] && break
    fi
    kill -0 "$wpid" 2>/dev/null || break
    [ "$(date +%s)" -ge "$deadline" ] && break
  done
  t_sub=$(now)
  local heap_sub
  heap_sub=$(server_heap)
  say "subscribe: $initial/$W initial NOTIFYs after $(elapsed "$t0" "$t_sub") s ($wfailed watcher calls failed); heap used after GC $heap_sub MB"

  # publisher, with CPU accounting over its run
  local h0 w0 p0 m0 th0
  h0=$(server_ticks); w0=$(proc_ticks "$wpid"); m0=$(machine_ticks)
  thread_ticks "$SERVER_PID" > "$dir/threads.before"
  local hdrop0; hdrop0=$(udp_drops "$HPORT")
  t_pub0=$(now)
  start_sipp "$dir" publisher "$pport" -inf "$dir/publishers.csv" -key domain herald.test \
    -key expires 60 -r "$rate" -m "$calls" -l $(( rate * 10 )) -trace_rtt -rtt_freq 1 \
    -timeout $(( D * 3 + 60 ))s
  local ppid=$SIPP_PID
  p0=$(proc_ticks "$ppid")
  # JFR's "default" settings (execution samples every 20 ms per thread): the "profile" settings
  # also record every object the GC promotes, which at this allocation rate lengthened the very
  # pauses being measured and took a core of its own.
  [ "$PROFILE" = 1 ] && [ "${SERVER:-herald}" = herald ] && jcmd "$SERVER_PID" JFR.start name=fanout settings=default \
    filename="$dir/herald.jfr" > "$dir/jfr.out" 2>&1
  # a process snapshot in the middle of the run, for the record
  ( sleep $(( D / 2 + 1 )); top -b -n 2 -d 1 -H -p "$SERVER_PID" > "$dir/top-threads.txt" 2>&1
    top -b -n 2 -d 1 > "$dir/top.txt" 2>&1 ) &
  local topper=$!
  PIDS+=("$topper")
  if [ "$JSTACK" = 1 ]; then
    ( for i in $(seq 1 "$D"); do sleep 1; jstack "$SERVER_PID" > "$dir/jstack.$i.txt" 2>&1; done ) &
    PIDS+=("$!")
  fi
  # CPU is taken over the D seconds of sending (later, only late answers and timeouts)
  local pub_ticks=0 h1="" w1="" m1="" p1="" t_cpu1="" t_now
  while kill -0 "$ppid" 2>/dev/null; do
    pub_ticks=$(proc_ticks "$ppid")
    t_now=$(now)
    if [ -z "$h1" ] && awk -v a="$t_pub0" -v b="$t_now" -v d="$D" 'BEGIN { exit !(b - a >= d) }'; then
      h1=$(server_ticks); w1=$(proc_ticks "$wpid"); m1=$(machine_ticks); p1=$pub_ticks
      t_cpu1=$t_now
      thread_ticks "$SERVER_PID" > "$dir/threads.after"
      [ "$PROFILE" = 1 ] && [ "${SERVER:-herald}" = herald ] && jcmd "$SERVER_PID" JFR.stop name=fanout >> "$dir/jfr.out" 2>&1
    fi
    [ $(( $(date +%s) - ${t_pub0%.*} )) -gt $(( D * 3 + 90 )) ] && break
    sleep 0.2
  done
  wait_exit "$ppid" 5 || stop_pid "$ppid"
  local prc; prc=$(exit_code "$ppid")
  t_pub1=$(now)
  if [ -z "$h1" ]; then
    h1=$(server_ticks); w1=$(proc_ticks "$wpid"); m1=$(machine_ticks); p1=$pub_ticks
    t_cpu1=$t_pub1
    thread_ticks "$SERVER_PID" > "$dir/threads.after"
    [ "$PROFILE" = 1 ] && [ "${SERVER:-herald}" = herald ] && jcmd "$SERVER_PID" JFR.stop name=fanout >> "$dir/jfr.out" 2>&1
  fi
  wait "$topper" 2>/dev/null

  # the watchers end end_rounds x 8 s after their last NOTIFY
  local wrc="?"
  if wait_exit "$wpid" $(( end_rounds * 8 + idle_rounds * 8 + 60 )); then
    wrc=$(exit_code "$wpid")
  else
    say "watchers: still running after the bounded wait; stopped"
    stop_pid "$wpid"; wrc="killed"
  fi
  t_end=$(now)
  stop_pid "$sampler"
  local drops
  drops=$(awk -v h0="$hdrop0" '{ for (i = 1; i <= 3; i++) { if (NR == 1 || $i < lo[i]) lo[i] = $i; if ($i > hi[i]) hi[i] = $i } }
    END { printf "server %d while subscribing, %d from the first PUBLISH on; watcher sipp %d, publisher sipp %d",
          h0 - lo[1], hi[1] - h0, hi[2] - lo[2], hi[3] - lo[3] }' "$dir/udp-drops.txt")
  local herald_alive=1
  kill -0 "$SERVER_PID" 2>/dev/null || herald_alive=0
  local heap_end; heap_end=$(server_heap)
  local rss_end; rss_end=$(server_pss_kb)
  local herald_errors
  herald_errors=$(server_log_errors "$dir")
  stop_pid "$SERVER_PID"
  # Herald logs its stats line once more as it stops: how many states waited behind an unanswered
  # NOTIFY and were replaced by a newer one (counted as missing below, see BENCHMARKS.md)
  local superseded=""
  if [ "${SERVER:-herald}" = herald ]; then
    superseded=$(grep ' stats: ' "$(server_log "$dir")" 2>/dev/null | tail -1 | tr ' ' '\n' |
      awk -F= '$1 == "notifies-superseded" { print $2 }')
  fi

  # ---- figures
  counts=$(ls "$dir"/watcher_*_counts.csv 2>/dev/null | head -1)
  local rtt; rtt=$(ls "$dir"/publisher_*_rtt.csv 2>/dev/null | head -1)
  initial=$(counts_nth "$counts" _NOTIFY_Recv 1)
  local changes; changes=$(counts_nth "$counts" _NOTIFY_Recv 2)
  local n_retrans=$(( $(counts_nth "$counts" _NOTIFY_Retrans 1) + $(counts_nth "$counts" _NOTIFY_Retrans 2) ))
  local stale; stale=$(counts_last_of "$counts" _Pause_Sessions)
  wfailed=$(csv_last "$dir/watcher.stat.csv" 'FailedCall(C)')
  local wdead; wdead=$(csv_last "$dir/watcher.stat.csv" 'DeadCallMsgs(C)')
  local wooc; wooc=$(csv_last "$dir/watcher.stat.csv" 'OutOfCallMsgs(C)')
  local wwatchdog; wwatchdog=$(csv_last "$dir/watcher.stat.csv" 'WatchdogMajor(C)')
  local pfailed; pfailed=$(csv_last "$dir/publisher.stat.csv" 'FailedCall(C)')
  local pok; pok=$(csv_last "$dir/publisher.stat.csv" 'SuccessfulCall(C)')
  local pretrans; pretrans=$(csv_last "$dir/publisher.stat.csv" 'Retransmissions(C)')
  local expected_changes
  expected_changes=$(awk -v w="$W" -v p="$P" -v n="$calls" 'BEGIN { s = 0
    for (k = 0; k < p; k++) s += (int(w / p) + (k < w % p)) * (int(n / p) + (k < n % p)); print s }')
  local expected=$(( W + expected_changes )) received=$(( initial + changes ))
  local missing=$(( expected - received ))

  # response times: p50, p99, max, buckets; rate reached = answered / seconds to the last answer
  local lat
  lat=$( { [ -n "$rtt" ] && tail -n +2 "$rtt"; } | awk -F';' '{ print $2 + 0, $1 + 0 }' | sort -n -k1,1 |
    awk -v total="$calls" '{ v[++n] = $1; if ($2 > tmax) tmax = $2 }
      END { if (n == 0) { print "0 - - - 0 0 0 0 0 0 0 0"; exit }
        p50 = v[int(n * 0.50 + 0.999999)]; p99 = v[int(n * 0.99 + 0.999999)]
        for (i = 1; i <= n; i++) { x = v[i]
          if (x <= 10) b1++; else if (x <= 20) b2++; else if (x <= 50) b3++
          else if (x <= 100) b4++; else if (x <= 200) b5++; else b6++
          if (x <= 50) in50++ }
        printf "%d %s %s %s %.1f %.2f %.2f %.2f %.2f %.2f %.2f %.3f\n", n, p50, p99, v[n],
          n / (tmax / 1000), b1 * 100 / n, b2 * 100 / n, b3 * 100 / n, b4 * 100 / n, b5 * 100 / n,
          b6 * 100 / n, in50 / total }')
  local n_rt p50 p99 pmax reached c10 c20 c50 c100 c200 cmore frac50
  read -r n_rt p50 p99 pmax reached c10 c20 c50 c100 c200 cmore frac50 <<< "$lat"

  # CPU over the publishing window, % of one core
  local secs cpu_h cpu_w cpu_p machine
  secs=$(awk -v a="$t_pub0" -v b="$t_cpu1" 'BEGIN { print b - a }')
  cpu_h=$(awk -v a="$h0" -v b="$h1" -v s="$secs" -v t="$CLK_TCK" 'BEGIN { if (b < a || s <= 0) print "?"; else printf "%.0f", (b - a) / t / s * 100 }')
  cpu_w=$(awk -v a="$w0" -v b="$w1" -v s="$secs" -v t="$CLK_TCK" 'BEGIN { if (b < a || s <= 0) print "?"; else printf "%.0f", (b - a) / t / s * 100 }')
  cpu_p=$(awk -v a="$p0" -v b="$p1" -v s="$secs" -v t="$CLK_TCK" 'BEGIN { if (b < a || s <= 0) print "?"; else printf "%.0f", (b - a) / t / s * 100 }')
  # the server's CPU time (utime + stime, all its processes) over the window, per PUBLISH sent in
  # it (the publisher sends at a fixed rate, so the count is rate x seconds, at most the total):
  # unlike latency, this barely depends on what else runs on the machine
  local ms_pub
  ms_pub=$(awk -v a="$h0" -v b="$h1" -v s="$secs" -v t="$CLK_TCK" -v r="$rate" -v n="$calls" 'BEGIN {
    sent = r * s; if (sent > n) sent = n
    if (b < a || sent <= 0) print "?"; else printf "%.3f", (b - a) / t * 1000 / sent }')
  machine=$(awk -v a="$m0" -v b="$m1" 'BEGIN { split(a, x, " "); split(b, y, " ")
    busy = y[1] - x[1]; steal = y[2] - x[2]; idle = y[3] - x[3]; t = busy + steal + idle
    if (t <= 0) t = 1; printf "busy %.0f%%, steal %.0f%%, idle %.0f%% (of all cores)", busy * 100 / t, steal * 100 / t, idle * 100 / t }')
  local others
  others=$(awk -v a="$m0" -v b="$m1" -v h="$cpu_h" -v w="$cpu_w" -v p="$cpu_p" -v c="$(nproc)" 'BEGIN {
    split(a, x, " "); split(b, y, " "); busy = y[1] - x[1]; t = busy + y[2] - x[2] + y[3] - x[3]
    if (t <= 0 || h == "?" || w == "?" || p == "?") { print "?"; exit }
    o = busy / t * c * 100 - h - w - p; printf "%.0f", (o < 0 ? 0 : o) }')
  # GC pauses while publishing, from -Xlog:gc (uptime stamps are seconds since the JVM started)
  local gcp
  gcp=$(awk -v a="$(awk -v x="$t_pub0" -v y="$SERVER_T0" 'BEGIN { print x - y - 0.3 }')" \
            -v b="$(awk -v x="$t_cpu1" -v y="$SERVER_T0" 'BEGIN { print x - y }')" '
    /Pause/ && /ms$/ && !/Diagnostic Command/ { t = $1; gsub(/[\[\]s]/, "", t); ms = $NF; sub(/ms$/, "", ms)
      if (t + 0 >= a && t + 0 <= b) { n++; sum += ms; if (ms + 0 > mx) mx = ms + 0 } }
    END { printf "%d pauses, %.0f ms in all, longest %.1f ms (gc.log; the heap figures come from full GCs outside this window)", n, sum, mx }' "$dir/gc.log" 2>/dev/null)
  local threads
  threads=$(awk -F'\t' -v s="$secs" -v t="$CLK_TCK" 'NR == FNR { b[$1] = $3; next }
    { name = $2; gsub(/-[0-9]+/, "-N", name); gsub(/#[0-9]+/, "#N", name); d[name] += $3 - b[$1] }
    END { for (k in d) if (d[k] > 0) printf "%.0f\t%s\n", d[k] / t / s * 100, k }' \
    "$dir/threads.before" "$dir/threads.after" | sort -rn | head -6 |
    awk -F'\t' '{ printf "%s%s %s%%", (NR > 1 ? ", " : ""), $2, $1 }')

  say "publish:   $pok of $calls PUBLISH answered 200 at $reached/s reached (target $rate/s); failed $pfailed; PUBLISH retransmitted by SIPp $pretrans; sipp exit $prc"
  say "latency:   p50 $p50 ms, p99 $p99 ms, max $pmax ms over $n_rt answers; <=10 ms $c10%, 10-20 $c20%, 20-50 $c50%, 50-100 $c100%, 100-200 $c200%, >200 $cmore%"
  local missing_text="missing $missing"
  # more than expected: the server took retransmitted PUBLISHes as new ones, or sent NOTIFYs again
  [ "$missing" -lt 0 ] && missing_text="missing 0, $(( -missing )) more than expected (retransmitted PUBLISHes taken as new ones, or NOTIFYs sent again)"
  say "NOTIFY:    expected $expected ($W initial + $expected_changes changes), received $received ($initial + $changes), $missing_text"
  [ -n "$superseded" ] &&
    say "           herald's notifies-superseded at its stop (warm-up included): $superseded (a change replaced by a newer one while its subscription's NOTIFY was unanswered)"
  say "           watchers left on an older state: $stale; NOTIFY retransmissions received: $n_retrans; NOTIFYs for ended calls: $((wdead + wooc))"
  say "watchers:  failed calls $wfailed, sipp exit $wrc, watchdog trips $wwatchdog; run took $(elapsed "$t0" "$t_end") s"
  [ "$TRANSPORT" = udp ] && say "udp:       datagrams dropped, receive buffer full: $drops"
  say "cpu:       while publishing ($(printf '%.1f' "$secs") s), % of one core: ${SERVER:-herald} $cpu_h, sipp watcher $cpu_w, sipp publisher $cpu_p, everything else $others; machine $machine"
  say "cpu/pub:   ${SERVER:-herald} cpu ms per PUBLISH: $ms_pub (its CPU time while publishing / PUBLISHes sent then)"
  if [ "${SERVER:-herald}" = herald ]; then
    say "threads:   herald's busiest: $threads"
    say "gc:        while publishing: $gcp"
  fi
  if [ "$PROFILE" = 1 ] && [ -s "$dir/herald.jfr" ]; then
    jfr_top "$dir/herald.jfr" > "$dir/profile.txt"
    say "profile:   JFR execution samples while publishing, share of samples (top frame | first frame in dev.herald or gov.nist):"
    sed 's/^/           /' "$dir/profile.txt" | tee -a "$WORK/report.txt"
    jfr_areas "$dir/herald.jfr" > "$dir/profile-areas.txt"
    say "areas:     the same samples by area of work:"
    sed 's/^/           /' "$dir/profile-areas.txt" | tee -a "$WORK/report.txt"
  fi
  say "memory:    heap used after GC: $heap_sub MB subscribed, $heap_end MB at the end; resident (Pss) at the end $(( rss_end / 1024 )) MB; ${SERVER:-herald} log warning/error lines: $herald_errors"

  local reasons=()
  [ "$missing" -gt 0 ] && reasons+=("$missing NOTIFYs missing")
  [ "$missing" -lt 0 ] && reasons+=("$(( -missing )) NOTIFYs more than expected")
  # (compare leaves this out of the verdict, as issue 7's criterion does: Kamailio aggregates every
  # live publication and keeps the OLDEST copy of a tuple id, so its watchers never see a newer note)
  [ "$stale" -ne 0 ] && [ "${COUNT_STALE:-1}" = 1 ] && reasons+=("$stale watchers left on an older state")
  [ "$wfailed" -ne 0 ] && reasons+=("$wfailed watcher calls failed")
  [ "$pfailed" -ne 0 ] && reasons+=("$pfailed PUBLISH calls failed")
  [ "$pok" -lt "$calls" ] && [ "$pfailed" -eq 0 ] && reasons+=("only $pok of $calls PUBLISHes done")
  awk -v f="$frac50" 'BEGIN { exit !(f < 0.99) }' &&
    reasons+=("only $(awk -v f="$frac50" 'BEGIN { printf "%.1f", f * 100 }')% of PUBLISHes answered within 50 ms")
  [ "$wrc" = killed ] && reasons+=("watchers did not finish")
  [ "$herald_alive" = 0 ] && reasons+=("${SERVER:-herald} exited during the run (see $(basename "$(server_log "$dir")"))")
  local noisy=""
  if [ "$others" != "?" ] && [ "$others" -gt 25 ]; then
    noisy=" (NOISY: other processes took $others% of a core while publishing)"
  fi
  local verdict
  if [ ${#reasons[@]} -eq 0 ]; then
    verdict=CLEAN
  else
    verdict="NOT CLEAN: $(IFS=';'; echo "${reasons[*]}" | sed 's/;/; /g')"
    NOT_CLEAN_SEEN=1
  fi
  say "verdict:   $verdict$noisy"
  say ""
  ROWS+=("$(printf '%-8s %7s %7s %6s %6s %6s %7s %9s %8s %7s %6s %6s %6s  %s' "$label" "$rate" "$reached" \
    "$p50" "$p99" "$pmax" "$(awk -v f="$frac50" 'BEGIN { printf "%.1f", f * 100 }')" "$received" "$missing" \
    "$((n_retrans + pretrans))" "$((wfailed + pfailed))" "$cpu_h" "$cpu_w" "${verdict%%:*}${noisy:+ NOISY}")")
  RES_VERDICT=${verdict%%:*}
  RES_NOISY=0; [ -n "$noisy" ] && RES_NOISY=1
  RES_P50=$p50 RES_P99=$p99 RES_MAX=$pmax RES_REACHED=$reached RES_MISSING=$missing
  RES_IN50=$(awk -v f="$frac50" 'BEGIN { printf "%.1f", f * 100 }') RES_CPU=$cpu_h RES_MSPUB=$ms_pub
  RES_SENT=$(csv_last "$dir/publisher.stat.csv" 'TotalCallCreated') RES_EXPECTED=$expected RES_RECEIVED=$received
  RES_FAILED=$((wfailed + pfailed)) RES_RETRANS=$((n_retrans + pretrans)) RES_STALE=$stale RES_OTHERS=$others
  RES_DIR=$dir
}

# ------------------------------------------------------------------ memory mode
# SHRINK_HEAP=1: around each reading of Herald's resident size, G1 may keep at most 20% of the heap
# free after a GC (MaxHeapFreeRatio is manageable), so the full GC before the reading gives the
# rest back and the resident size follows what Herald holds, not the room its heap had grown to;
# the defaults (40/70) are back while the load runs, so the collector is not starved meanwhile
tight_heap() { # on|off
  [ "${SHRINK_HEAP:-0}" = 1 ] && [ "${SERVER:-herald}" = herald ] || return 0
  if [ "$1" = on ]; then
    jcmd "$SERVER_PID" VM.set_flag MinHeapFreeRatio 10 >/dev/null 2>&1
    jcmd "$SERVER_PID" VM.set_flag MaxHeapFreeRatio 20 >/dev/null 2>&1
  else
    jcmd "$SERVER_PID" VM.set_flag MaxHeapFreeRatio 70 >/dev/null 2>&1
    jcmd "$SERVER_PID" VM.set_flag MinHeapFreeRatio 40 >/dev/null 2>&1
  fi
}
memory_run() { # [label]
  local dir="$WORK/memory${1:+-$1}" herald=0
  [ "${SERVER:-herald}" = herald ] && herald=1
  mkdir -p "$dir"
  cp "$ROOT/test-fixtures/src/main/resources/sipp/fanout-watcher/scenario.xml" "$dir/watcher.xml"
  write_watchers "$dir/watchers.csv" 0
  wait_quiet
  start_server "$dir" 32
  sleep 2
  local base="-"
  tight_heap on
  if [ "$herald" = 1 ]; then
    base=$(heap_after_gc "$SERVER_PID")
    base=$(heap_after_gc "$SERVER_PID")
    say "baseline:  heap used after GC with no subscription: $base MB"
  fi
  local pss_base rss_base
  pss_base=$(server_pss_kb); rss_base=$(server_rss_kb)
  tight_heap off
  say "baseline:  ${SERVER:-herald} resident with no subscription: Pss $(( pss_base / 1024 )) MB over $(server_pids | wc -l) process(es) (VmRSS summed: $(( rss_base / 1024 )) MB)"
  local setup_s=$(( (W + SETUP - 1) / SETUP ))
  local wport; wport=$(free_port)
  local t0; t0=$(now)
  # the watchers wait ~15 min for a NOTIFY that never comes; they are stopped after measuring
  start_sipp "$dir" watcher "$wport" -inf "$dir/watchers.csv" -key domain herald.test \
    -key expires 3600 -key idle_rounds 110 -key end_rounds 1 \
    -r "$SETUP" -m "$W" -l "$W" -trace_counts
  local wpid=$SIPP_PID counts initial=0 wfailed=0 deadline=$(( $(date +%s) + setup_s * 3 + 120 ))
  while :; do
    sleep 1
    counts=$(ls "$dir"/watcher_*_counts.csv 2>/dev/null | head -1)
    if [ -n "$counts" ]; then
      initial=$(counts_nth "$counts" _NOTIFY_Recv 1)
      wfailed=$(csv_last "$dir/watcher.stat.csv" 'FailedCall(C)')
      [ $(( initial + wfailed )) -ge "$W" ] && break
    fi
    kill -0 "$wpid" 2>/dev/null || break
    [ "$(date +%s)" -ge "$deadline" ] && break
  done
  local t1; t1=$(now)
  local rate; rate=$(awk -v n="$initial" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  say "subscribe: $initial/$W initial NOTIFYs in $(elapsed "$t0" "$t1") s ($rate/s); $wfailed watcher calls failed"
  if [ "$herald" = 1 ]; then
    local with_tx; with_tx=$(heap_after_gc "$SERVER_PID")
    say "           heap used after GC right away: $with_tx MB (SUBSCRIBE server transactions still held for Timer J, 32 s)"
  fi
  # let Timer J (64*T1 = 32 s) and Timer K (5 s) end every transaction
  sleep 40
  local with="-" per="-"
  tight_heap on
  if [ "$herald" = 1 ]; then
    with=$(heap_after_gc "$SERVER_PID")
    with=$(heap_after_gc "$SERVER_PID")
    per=$(awk -v a="$base" -v b="$with" -v n="$initial" 'BEGIN { if (n > 0) printf "%.0f", (b - a) * 1048576 / n; else print "?" }')
    say "held:      heap used after GC with $initial subscriptions, 40 s later: $with MB"
    say "result:    ($with - $base) MB / $initial = $per bytes of heap per subscription ($P presentities, $(awk -v w="$W" -v p="$P" 'BEGIN { printf "%g", w / p }') watchers each)"
  fi
  local pss_with rss_with pss_per
  pss_with=$(server_pss_kb); rss_with=$(server_rss_kb)
  pss_per=$(awk -v a="$pss_base" -v b="$pss_with" -v n="$initial" 'BEGIN { if (n > 0) printf "%.0f", (b - a) * 1024 / n; else print "?" }')
  say "resident:  ${SERVER:-herald} with $initial subscriptions, 40 s later: Pss $(( pss_with / 1024 )) MB (VmRSS summed: $(( rss_with / 1024 )) MB)"
  say "result:    resident (Pss) ($(( pss_with / 1024 )) - $(( pss_base / 1024 ))) MB / $initial = $pss_per bytes per subscription"
  local alive=yes; kill -0 "$wpid" 2>/dev/null || alive=no
  say "watchers:  sipp still holding the calls at the measurement: $alive; failed calls $wfailed"
  stop_pid "$wpid"
  stop_pid "$SERVER_PID"
  RES_MEM_UP=$initial RES_MEM_RATE=$rate RES_PSS_BASE=$pss_base RES_PSS_WITH=$pss_with RES_PSS_PER=$pss_per
  RES_HEAP_BASE=$base RES_HEAP_WITH=$with RES_HEAP_PER=$per
  if [ "$initial" -lt "$W" ] || [ "$wfailed" -ne 0 ]; then
    NOT_CLEAN_SEEN=1
    RES_VERDICT="NOT CLEAN"
    say "verdict:   NOT CLEAN: only $initial of $W subscriptions up, $wfailed failed"
  else
    RES_VERDICT=CLEAN
    say "verdict:   CLEAN"
  fi
}

# one run, again while it was NOISY (up to RETRY_NOISY more times)
attempt_run() { # rate label
  local a
  for a in $(seq 0 "$RETRY_NOISY"); do
    if [ "$a" = 0 ]; then fanout_run "$1" "$2"; else fanout_run "$1" "$2-again$a"; fi
    [ "$RES_NOISY" = 0 ] && return
    [ "$a" -lt "$RETRY_NOISY" ] && say "(NOISY: running $2 again)"
  done
}

