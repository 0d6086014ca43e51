#!/usr/bin/env bash
# The system packages the test suite needs, in one place: `npm test` runs this first (package.json
# "pretest") and so does `.ci/run`. As root, it installs what is missing with apt-get (Debian); as
# any other user, it names what is missing and stops, rather than leaving the suite to fail in
# obscure ways. `--check` only reports, whoever runs it.
set -euo pipefail

# One line per need, fields separated by @@: the probe (a shell condition) that shows it is met, the
# Debian package that meets it, and why the suite needs it.
NEEDS=(
  '[ -x /usr/bin/aws ]@@awscli@@AWS CLI v2, driven by test/api/awscli.test.ts'
  'command -v python3 >/dev/null@@python3@@boto3 tests and the AWS CLI'
  "python3 -c 'import boto3' 2>/dev/null || /usr/bin/python3 -c 'import boto3' 2>/dev/null@@python3-boto3@@boto3, driven by test/api/boto3.test.ts"
  'command -v nft >/dev/null@@nftables@@data-plane and agent tests: real nftables in namespaces'
  'command -v ip >/dev/null@@iproute2@@network namespaces and veth pairs'
  'command -v ping >/dev/null@@iputils-ping@@agent tests: ICMP echo between instances'
  'command -v curl >/dev/null@@curl@@the README'"'"'s curl --aws-sigv4 example, tested'
  '[ -x /usr/bin/chromium ]@@chromium@@the console'"'"'s browser tests (test/console/), driven headless by puppeteer-core'
  '[ -x /usr/lib/postgresql/15/bin/initdb ]@@postgresql-15@@the PostgreSQL engine'"'"'s tests start their own servers'
)

missing=()
reasons=()
for need in "${NEEDS[@]}"; do
  probe=${need%%@@*}
  rest=${need#*@@}
  if ! (eval "$probe"); then
    missing+=("${rest%%@@*}")
    reasons+=("  ${rest%%@@*}: ${rest#*@@}")
  fi
done

root=0
[ "$(id -u)" = 0 ] && root=1

if [ "${1:-}" = --check ]; then
  [ ${#missing[@]} -eq 0 ] && exit 0
  printf 'Missing system packages:\n%s\n' "$(printf '%s\n' "${reasons[@]}")" >&2
  exit 1
fi

if [ "$root" = 0 ]; then
  {
    echo 'npm test needs root: the data-plane and agent tests create network namespaces and load'
    echo 'nftables rulesets, and the PostgreSQL tests run their servers as the postgres user.'
    if [ ${#missing[@]} -gt 0 ]; then
      printf 'It also needs these Debian packages, not installed here:\n%s\n' "$(printf '%s\n' "${reasons[@]}")"
      echo "Run it as root (sudo npm test) to have them installed, or: sudo apt-get install ${missing[*]}"
    else
      echo 'Run it as root: sudo npm test'
    fi
  } >&2
  exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing the test suite's system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
