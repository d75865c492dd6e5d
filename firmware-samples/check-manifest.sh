#!/usr/bin/env bash
# Cross-checks manifest.yaml against the built matrix (bash + nm only):
#  - every global defined function (nm type T) in <unit>-<variant>.o has a manifest entry whose
#    unit matches and whose variants list holds the variant;
#  - every manifest entry, for each of its variants, is defined by every built object of that
#    unit and variant (and at least one such object exists);
#  - every blob symbol has a manifest entry.
# Usage: check-manifest.sh OUT_DIR [MANIFEST]
set -euo pipefail
out=${1:?usage: check-manifest.sh OUT_DIR [MANIFEST]}
manifest=${2:-$(dirname "$0")/manifest.yaml}
[[ -d $out ]] || { echo "check-manifest: no matrix at $out" >&2; exit 2; }

declare -A unit_of variants_of
name=
while IFS= read -r line; do
	if [[ $line =~ ^\ \ -\ name:\ ([A-Za-z_][A-Za-z0-9_]*)\ *$ ]]; then
		name=${BASH_REMATCH[1]}
		[[ -z ${unit_of[$name]+x} ]] || { echo "manifest: duplicate entry $name" >&2; exit 1; }
		unit_of[$name]=
		variants_of[$name]=
	elif [[ -n $name && $line =~ ^\ \ \ \ unit:\ ([a-z0-9_]+)\ *$ ]]; then
		unit_of[$name]=${BASH_REMATCH[1]}
	elif [[ -n $name && $line =~ ^\ \ \ \ variants:\ \[([a-z0-9_,\ ]+)\]\ *$ ]]; then
		variants_of[$name]=" ${BASH_REMATCH[1]//,/ } "
	fi
done < "$manifest"
(( ${#unit_of[@]} > 0 )) || { echo "manifest: no functions found in $manifest" >&2; exit 1; }

errors=0
fail() { echo "check-manifest: $*" >&2; errors=$((errors + 1)); }

for n in "${!unit_of[@]}"; do
	[[ -n ${unit_of[$n]} && -n ${variants_of[$n]} ]] || fail "$n: entry lacks unit or variants"
done

declare -A objects_of   # "unit-variant" -> count of objects built
objects=0
while IFS= read -r -d '' obj; do
	base=$(basename "$obj" .o)
	unit=${base%-*}
	variant=${base##*-}
	objects=$((objects + 1))
	objects_of[$base]=$(( ${objects_of[$base]:-0} + 1 ))
	defined=" $(nm -g --defined-only "$obj" | awk '$2 == "T" { printf "%s ", $3 }') "
	for sym in $defined; do
		if [[ -z ${unit_of[$sym]+x} ]]; then
			fail "$obj: exported function $sym has no manifest entry"
		elif [[ ${unit_of[$sym]} != "$unit" || ${variants_of[$sym]} != *" $variant "* ]]; then
			fail "$obj: $sym is listed for unit ${unit_of[$sym]}, variants${variants_of[$sym]% }"
		fi
	done
	for n in "${!unit_of[@]}"; do
		if [[ ${unit_of[$n]} == "$unit" && ${variants_of[$n]} == *" $variant "* && $defined != *" $n "* ]]; then
			fail "$obj: manifest lists $n but the object does not define it"
		fi
	done
done < <(find "$out" -name '*.o' -path '*/*/*/*' -not -path '*/blob/*' -print0)

for n in "${!unit_of[@]}"; do
	for v in ${variants_of[$n]}; do
		[[ -n ${objects_of[${unit_of[$n]}-$v]:-} ]] || fail "$n: no object ${unit_of[$n]}-$v.o was built"
	done
done

for syms in $(find "$out" -name '*.syms'); do
	while read -r sym _; do
		[[ -n ${unit_of[$sym]+x} ]] || fail "$syms: $sym has no manifest entry"
	done < "$syms"
done

if (( errors > 0 )); then
	echo "check-manifest: $errors problem(s)" >&2
	exit 1
fi
echo "check-manifest: ${#unit_of[@]} manifest functions match $objects objects"
