#!/bin/bash
# Installs every Debian 12 package the project needs (run as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
  build-essential cmake pkg-config ca-certificates \
  libsystemc-dev libboost-test-dev libboost-program-options-dev nlohmann-json3-dev libelf-dev libdw-dev \
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf binutils-riscv64-unknown-elf gdb-multiarch \
  python3 python3-numpy python3-torch python3-torchvision python3-matplotlib python3-distributed python3-tqdm \
  clang libclang-rt-14-dev
