#!/usr/bin/env bash
# Operating-system packages the harness needs, installed only where missing (Debian; run as root or with sudo).
# chromium drives suppliers' web UIs and checks the Allure report; a Java runtime runs allure-commandline.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: chromium and java already present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}"
