#!/bin/sh
# The system packages `make run` and `make test` need beyond Python (Debian names).
#
#   scripts/system_packages.sh run    the PDF libraries WeasyPrint loads (Pango, HarfBuzz subset)
#   scripts/system_packages.sh test   the same, and chromium for the browser tests
#                                     (not with SKIP_BROWSER_TESTS=1)
#
# Missing packages are installed when this may install system packages (root, with apt-get);
# otherwise it stops at once with the command to run. Runs before the virtualenv exists, so
# it is plain POSIX shell. LDCONFIG, APT_GET and CHROMIUM_PATH override where it looks.
set -eu

purpose=${1:?usage: scripts/system_packages.sh run|test}
LDCONFIG=${LDCONFIG:-$(command -v ldconfig || echo /sbin/ldconfig)}
APT_GET=${APT_GET:-apt-get}
CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}

# "package library-file" pairs: the library WeasyPrint opens, and the package that ships it.
LIBRARIES="libpango-1.0-0:libpango-1.0.so.0 libpangoft2-1.0-0:libpangoft2-1.0.so.0 libharfbuzz-subset0:libharfbuzz-subset.so.0"

missing() {
    cache=$("$LDCONFIG" -p 2>/dev/null || true)
    for pair in $LIBRARIES; do
        case "$cache" in
            *"${pair#*:}"*) ;;
            *) printf '%s ' "${pair%%:*}" ;;
        esac
    done
    if [ "$purpose" = test ] && [ "${SKIP_BROWSER_TESTS:-}" != 1 ] && [ ! -x "$CHROMIUM_PATH" ]; then
        printf 'chromium '
    fi
}

case "$purpose" in
    run | test) ;;
    *) echo "usage: scripts/system_packages.sh run|test" >&2; exit 2 ;;
esac

packages=$(missing)
[ -z "$packages" ] && exit 0
packages=${packages% }
command="apt-get update && apt-get install -y --no-install-recommends $packages"

if [ "$(id -u)" -eq 0 ] && command -v "$APT_GET" >/dev/null 2>&1; then
    echo "make $purpose: installing system packages: $packages"
    "$APT_GET" update -qq
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive "$APT_GET" install -y -qq --no-install-recommends $packages
    still=$(missing)
    if [ -n "$still" ]; then
        echo "make $purpose: still missing after apt-get install: $still" >&2
        exit 1
    fi
    exit 0
fi

{
    echo "make $purpose needs system packages that are not installed: $packages"
    echo "Run this as root (Debian/Ubuntu package names), then make $purpose again:"
    echo ""
    echo "    $command"
    echo ""
    if [ "$packages" = chromium ]; then
        echo "Or run without the browser tests: SKIP_BROWSER_TESTS=1 make test"
    fi
} >&2
exit 1
