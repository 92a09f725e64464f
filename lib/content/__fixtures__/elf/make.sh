#!/bin/sh
# Makes the tiny ELF fixtures of lib/content/elf.test.ts and ld-resolve.test.ts (gcc 12, x86-64).
# Run from this directory: sh make.sh
set -eu
cat > lib.c <<'C'
int answer(void) { return 42; }
C
cat > main.c <<'C'
int answer(void);
int main(void) { return answer() == 42 ? 0 : 1; }
C
cat > static.c <<'C'
void _start(void) { __asm__ volatile("mov $60, %eax; xor %edi, %edi; syscall"); }
C
gcc -Os -s -shared -fPIC -Wl,-soname,libanswer.so.1 -o libanswer.so.1 lib.c
# RUNPATH (the default new dtags) relative to the binary's own directory.
gcc -Os -s -o runpath-origin main.c -L. -l:libanswer.so.1 -Wl,-rpath,'$ORIGIN/../lib'
# DT_RPATH instead of DT_RUNPATH.
gcc -Os -s -o rpath-old main.c -L. -l:libanswer.so.1 -Wl,--disable-new-dtags,-rpath,/opt/answer/lib
# Static, no libc (so the fixture stays a few KB): no PT_INTERP, no PT_DYNAMIC.
gcc -Os -s -static -nostdlib -o static static.c
# 32-bit shared object (no libc needed) with a RUNPATH.
gcc -m32 -Os -s -shared -fPIC -nostdlib -Wl,-soname,libtiny32.so.1 -Wl,-rpath,/opt/x32 -o libtiny32.so.1 lib.c
head -c 300 runpath-origin > truncated
rm -f lib.c main.c static.c
