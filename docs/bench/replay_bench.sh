#!/usr/bin/env bash
# The end-to-end replay benchmark of docs/performance.md ("Every row a
# violation"), side by side with the Python/shapely script, in rounds.
#
#   docs/bench/replay_bench.sh [rounds]        # from the repository root; 3 rounds by default
#
# Each round runs every pipeline once, in turn: the script counting only,
# the dry run, the dry run of the input doubled, the stored replay into a
# fresh folder and the stored replay of the input doubled (its second half
# all duplicates) into another. Rows/s is each program's own figure (from after the zones
# are loaded), peak RSS that of /usr/bin/time. It prints one line per run
# and then the medians; the stored runs also give the database's bytes per
# new incident. Environment: CEASEFIRED (a built binary; default: build
# one), BASE (a second binary, run beside it with the prefix "base"), DATA
# (the folder of yearly FIRMS files), ZONES, PYTHON.
set -euo pipefail
rounds=${1:-3}
data=${DATA:-../shared/data/incidents/firms_ukr_latlon_yearly}
zones=${ZONES:-../shared/data/zones/ua_oblasts_minregion_2020.geojson}
config=cmd/ceasefired/testdata/minregion_all.yml
python=${PYTHON:-/usr/bin/python3} # Debian's, with python3-shapely
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${CEASEFIRED:-}
if [ -z "$bin" ]; then
	go build -o "$work/ceasefired" ./cmd/ceasefired
	bin=$work/ceasefired
fi
files=("$data"/*.csv.gz)
[ ${#files[@]} -gt 1 ] || { echo "no yearly files under $data" >&2; exit 1; }

# measure NAME CMD...: runs CMD with stdout to a file, notes rows/s and
# peak RSS in MB.
measure() {
	local name=$1
	shift
	/usr/bin/time -f '%M' -o "$work/rss" "$@" >"$work/out" 2>"$work/err" ||
		{ echo "$name failed:" >&2; tail -5 "$work/err" >&2; exit 1; }
	local rate extra=""
	rate=$(awk '/rows\/s:/ {print $NF}' "$work/err" | tail -1)
	if [ -f "$work/store/ceasefired.db" ]; then
		local n
		n=$(awk '/incidents:/ {print $2}' "$work/err")
		extra=" $(( $(stat -c %s "$work/store/ceasefired.db") / (n > 0 ? n : 1) ))B/incident"
	fi
	printf '%-16s %10.0f rows/s %6d MB%s\n' "$name" "$rate" $(( $(tail -1 "$work/rss") / 1024 )) "$extra" |
		tee -a "$work/results"
}

for round in $(seq "$rounds"); do
	echo "# round $round"
	measure python "$python" docs/bench/replay_shapely.py "$zones" ADMIN_1 "${files[@]}"
	for p in "" ${BASE:+base-}; do
		b=$bin
		[ -z "$p" ] || b=$BASE
		measure "${p}dry" "$b" replay --config.file="$config" --dry-run "${files[@]}"
		measure "${p}dry-doubled" "$b" replay --config.file="$config" --dry-run "${files[@]}" "${files[@]}"
		rm -rf "$work/store"
		measure "${p}stored" "$b" replay --config.file="$config" --storage.path="$work/store" "${files[@]}"
		rm -rf "$work/store"
		measure "${p}stored-doubled" "$b" replay --config.file="$config" --storage.path="$work/store" "${files[@]}" "${files[@]}"
		rm -rf "$work/store"
	done
done

echo "# medians of $rounds"
awk '{rate[$1] = rate[$1] " " $2; rss[$1] = rss[$1] " " $4}
	END {for (k in rate) print k, rate[k], "|", rss[k]}' "$work/results" | sort |
	while read -r name rest; do
		rates=${rest%%|*}
		sizes=${rest#*|}
		med() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
		printf '%-16s %10s rows/s %6s MB\n' "$name" "$(echo "$rates" | med)" "$(echo "$sizes" | med)"
	done
