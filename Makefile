# SPDX-License-Identifier: MIT
# warmboot: `make` builds build/kexec, `make static` the musl one for guests,
# `make check` runs every test (unit, sanitizers, clang, real kernels in QEMU).

CC      ?= cc
CLANG   ?= clang
MUSL_CC ?= musl-gcc
PREFIX  ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

B := build

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wundef
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -I. $(CFLAGS)

# purgatory/sha256.c and crc32c.c are built twice: into the blob, and here to hash the segments.
LIB_SRC := $(sort $(wildcard src/lib/*.c src/lib/image/*.c src/lib/x86/*.c)) purgatory/sha256.c purgatory/crc32c.c
LIB_ASM := src/lib/purgatory_blob.S
CLI_SRC := src/cli/kexec.c src/cli/options.c
WB_CLI_SRC := src/cli/warmboot.c src/cli/warmboot_options.c
HDRS    := $(wildcard include/warmboot/*.h src/lib/*.h src/lib/*/*.h src/cli/*.h purgatory/*.h)

# The kexec_load path's purgatory (docs/purgatory.md): a freestanding x86_64 blob
# built once by the host gcc and ld, whatever compiles the library, linked at 0
# with its relocations kept (-q), and embedded in the library with .incbin.
PURGATORY    := $(B)/purgatory/purgatory.elf
PURG_CC      ?= gcc
PURG_LD      ?= ld
PURG_CFLAGS  := -std=c11 $(WARN) -I. -O2 -ffreestanding -nostdlib -fno-PIC -fno-pie \
                -fno-stack-protector -mno-red-zone -mcmodel=small -mgeneral-regs-only \
                -fno-asynchronous-unwind-tables -fno-delete-null-pointer-checks
PURG_LDFLAGS := -T purgatory/purgatory.lds -q -n -z noexecstack --no-warn-rwx-segments
PURG_OBJ     := $(patsubst purgatory/%,$(B)/purgatory/%,$(sort \
                $(patsubst %.S,%.o,$(wildcard purgatory/*.S)) $(patsubst %.c,%.o,$(wildcard purgatory/*.c))))
BLOB_DEF     := -DWB_PURGATORY_ELF='"$(PURGATORY)"'

# Unit tests: one cmocka program per tests/unit/test_*.c; CLI code built without main().
# tests/support/: the synthetic images, plain C, linked by the unit tests and the fuzzers alike.
SUPPORT_SRC  := $(sort $(wildcard tests/support/*.c))
SUPPORT_HDRS := $(wildcard tests/support/*.h)
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
TEST_HELP := $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c)) $(SUPPORT_SRC)
TEST_HDRS := $(wildcard tests/unit/*.h) $(SUPPORT_HDRS)
TEST_DEPS := $(LIB_SRC) $(LIB_ASM) $(CLI_SRC) $(TEST_HELP) $(TEST_HDRS) $(PURGATORY)

.PHONY: all static purgatory check check-fast check-steps check-unit check-asan check-clang check-guest demo deps install clean

all: $(B)/kexec $(B)/vmcore-dmesg

# One compile of everything: the library, the CLI, its main.
$(B)/kexec: $(LIB_SRC) $(LIB_ASM) $(CLI_SRC) $(HDRS) $(PURGATORY) | $(B)
	$(CC) $(ALL_CFLAGS) $(BLOB_DEF) -o $@ $(LIB_SRC) $(LIB_ASM) $(CLI_SRC)

# Fully static for the guests' initramfs; musl-gcc sees the kernel UAPI headers this way.
# $(1): output, $(2): extra flags
define static_kexec
$(1): $(LIB_SRC) $(LIB_ASM) $(CLI_SRC) $(HDRS) $(PURGATORY)
	@mkdir -p $$(dir $$@)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -I. -Os -static $$(WB_STATIC_SIZE) $(BLOB_DEF) $(2) \
	  -idirafter /usr/include -idirafter /usr/include/x86_64-linux-gnu \
	  -o $$@ $(LIB_SRC) $(LIB_ASM) $(CLI_SRC)
	strip $$@
endef

$(eval $(call static_kexec,$(B)/static/kexec,))
# Test-only: WB_TEST_HOOKS lets the guest tests corrupt purgatory's digest. Never installed.
$(eval $(call static_kexec,$(B)/test/kexec,-DWB_TEST_HOOKS))

# vmcore-dmesg: the crashed kernel's log from a dump; needs only the library's vmcore reader.
VMCORE_SRC := src/lib/vmcore.c src/lib/util.c src/cli/vmcore_dmesg.c

$(B)/vmcore-dmesg: $(VMCORE_SRC) $(HDRS) | $(B)
	$(CC) $(ALL_CFLAGS) -o $@ $(VMCORE_SRC)

$(B)/static/vmcore-dmesg: $(VMCORE_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -I. -Os -static $(WB_STATIC_SIZE) \
	  -idirafter /usr/include -idirafter /usr/include/x86_64-linux-gnu -o $@ $(VMCORE_SRC)
	strip $@

static: $(B)/static/kexec $(B)/static/vmcore-dmesg

$(B)/purgatory/%.o: purgatory/%.c $(wildcard purgatory/*.h)
	@mkdir -p $(dir $@)
	$(PURG_CC) $(PURG_CFLAGS) -c -o $@ $<

$(B)/purgatory/%.o: purgatory/%.S $(wildcard purgatory/*.h)
	@mkdir -p $(dir $@)
	$(PURG_CC) $(PURG_CFLAGS) -c -o $@ $<

$(PURGATORY): $(PURG_OBJ) purgatory/purgatory.lds
	$(PURG_LD) $(PURG_LDFLAGS) -o $@ $(PURG_OBJ)

purgatory: $(PURGATORY)

$(B):
	@mkdir -p $@

# The unit tests link one archive per flavour: every source compiled once,
# not once per test program. $(1): output folder, $(2): compiler, $(3): flags
TEST_LIB_SRC = $(LIB_SRC) $(LIB_ASM) $(CLI_SRC) $(WB_CLI_SRC) $(TEST_HELP)
define unit_tests
$(1)/obj/%.o: %.c $(HDRS) $(TEST_HDRS)
	@mkdir -p $$(dir $$@)
	$(2) $(ALL_CFLAGS) $(3) $(BLOB_DEF) -DWB_NO_MAIN -Isrc -Itests/unit -c -o $$@ $$<
$(1)/obj/%.o: %.S $(PURGATORY)
	@mkdir -p $$(dir $$@)
	$(2) $(ALL_CFLAGS) $(3) $(BLOB_DEF) -c -o $$@ $$<
$(1)/libtest.a: $$(patsubst %,$(1)/obj/%.o,$$(basename $$(TEST_LIB_SRC)))
	rm -f $$@
	ar rcs $$@ $$^
$(1)/%: tests/unit/%.c $(1)/libtest.a $(HDRS) $(TEST_HDRS)
	@mkdir -p $(1)
	$(2) $(ALL_CFLAGS) $(3) $(BLOB_DEF) -DWB_NO_MAIN -Isrc -Itests/unit -o $$@ $$< $(1)/libtest.a -lcmocka
endef

$(eval $(call unit_tests,$(B)/unit,$(CC),))
# In a variable: a comma written inside $(call ...) would split the argument.
SAN_FLAGS := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(eval $(call unit_tests,$(B)/asan,$(CLANG),$(SAN_FLAGS)))

UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/unit/%,$(TEST_SRC))
ASAN_BINS := $(patsubst tests/unit/%.c,$(B)/asan/%,$(TEST_SRC))

deps:
	@tests/deps.sh

check-unit: $(UNIT_BINS)
	@tests/unit/run.sh $(UNIT_BINS)

check-asan: $(ASAN_BINS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  tests/unit/run.sh $(ASAN_BINS)

# The whole tree under clang's warnings too.
check-clang:
	$(CLANG) $(ALL_CFLAGS) -fsyntax-only $(LIB_SRC) $(CLI_SRC)

check-guest: $(B)/static/kexec $(B)/static/vmcore-dmesg $(B)/test/kexec
	@KEXEC_BIN=$(B)/static/kexec KEXEC_TEST_BIN=$(B)/test/kexec tests/guest/run.sh

# ---------------------------------------------------------------------------
# Hostile input (issue 7, docs/testing.md): fuzz targets, valgrind, lint.
#   make fuzz FUZZ_SECONDS=N   each libFuzzer target N seconds (default 60)
#   make check-fuzz            each target FUZZ_SMOKE_SECONDS (30), fails on a crash
#   make check-valgrind        the gcc-built unit tests under valgrind memcheck
#   make lint                  cppcheck and clang-tidy (.clang-tidy), zero findings
# ---------------------------------------------------------------------------
FUZZ_CC            ?= $(CLANG)
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_TARGETS := $(patsubst fuzz/fuzz_%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_BINS    := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS))
# The fuzzer's own sanitizers; any report stops the run (no recovery).
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -I. -g -O1 $(FUZZ_SAN) -DWB_NO_MAIN $(BLOB_DEF)
FUZZ_HELP    := fuzz/common.c $(SUPPORT_SRC)
FUZZ_OBJ     := $(patsubst %,$(B)/fuzz/obj/%.o,$(basename $(LIB_SRC) $(LIB_ASM) $(CLI_SRC) $(FUZZ_HELP)))
# The Debian kernel of the guest tests, when downloaded: its header seeds the image targets.
FUZZ_VMLINUZ := $(firstword $(wildcard $(B)/guest-cache/kernel/vmlinuz-*))
FUZZ_VMLINUX := $(firstword $(wildcard $(B)/guest-cache/kernel/vmlinux-*))

$(B)/fuzz/obj/%.o: %.c $(HDRS) $(wildcard fuzz/*.h) $(SUPPORT_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(B)/fuzz/obj/%.o: %.S $(PURGATORY)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(B)/fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ)

# Seeds made here, not committed: synthetic images, the real kernel's header, tests/data, purgatory.
$(B)/fuzz/corpus/.done: fuzz/mkseeds.c $(SUPPORT_SRC) $(SUPPORT_HDRS) $(PURGATORY) $(wildcard tests/data/*) \
                        integration/warmboot.conf
	@rm -rf $(B)/fuzz/corpus
	@mkdir -p $(B)/fuzz/corpus/iomem $(B)/fuzz/corpus/purgatory
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -I. -O1 -o $(B)/fuzz/mkseeds fuzz/mkseeds.c $(SUPPORT_SRC)
	$(B)/fuzz/mkseeds $(B)/fuzz/corpus "$(FUZZ_VMLINUZ)" "$(FUZZ_VMLINUX)"
	cp tests/data/* $(B)/fuzz/corpus/iomem/
	cp $(PURGATORY) $(B)/fuzz/corpus/purgatory/
	cp integration/warmboot.conf $(B)/fuzz/corpus/config/
	@touch $@

# Kept: every target links them all.
.SECONDARY: $(FUZZ_OBJ)

fuzz-build: $(FUZZ_BINS) $(B)/fuzz/corpus/.done

fuzz: fuzz-build
	@fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

check-fuzz: fuzz-build
	@fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

# Definite leaks and every memory error fail; the test programs run as they do in check-unit.
VALGRIND := valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
            --show-leak-kinds=definite --track-origins=yes --track-fds=no
check-valgrind: $(UNIT_BINS)
	@failed=0; for t in $(UNIT_BINS); do \
	  echo "== valgrind $$t"; \
	  $(VALGRIND) $$t >$$t.valgrind.log 2>&1 || { failed=1; cat $$t.valgrind.log; }; \
	  tail -n 1 $$t.valgrind.log; \
	done; \
	if [ $$failed != 0 ]; then echo "valgrind: errors (logs: $(B)/unit/*.valgrind.log)"; exit 1; fi

# cppcheck: everything we compile, with our include paths; clang-tidy: the library and CLI.
CPPCHECK := cppcheck --quiet --error-exitcode=1 --inline-suppr --enable=warning,style,performance,portability \
            --std=c11 --platform=unix64 -D__x86_64__ -D__GNUC__ -D_GNU_SOURCE -DWB_TEST_HOOKS \
            -Iinclude -I. -Isrc --suppress=missingIncludeSystem
# clang-tidy runs one file at a time: on every CPU, through xargs (which fails if any does).
TIDY_SRC := $(LIB_SRC) $(sort $(wildcard src/cli/*.c))
lint: $(PURGATORY)
	$(CPPCHECK) src purgatory fuzz tests/support
	@echo "clang-tidy: $(words $(TIDY_SRC)) files"
	@printf '%s\n' $(TIDY_SRC) | xargs -P "$$(nproc)" -I{} clang-tidy --quiet {} \
	  -- $(ALL_CFLAGS) $(BLOB_DEF) -DWB_TEST_HOOKS -Isrc

clean-hostile:
	rm -rf $(B)/fuzz $(B)/unit/*.valgrind.log

clean: clean-hostile

.PHONY: fuzz fuzz-build check-fuzz check-valgrind lint clean-hostile
# ------------------------------------------------------------ end of issue 7

# make check: everything, the Debian system tests included (issue 5). Their
# guest images (tests/system/image.sh: debootstrap, network and dpkg bound,
# cached under build/system-cache/; Debian 12, then Debian 13) are built in
# the background while the host-side checks and the busybox guests run;
# when those fail, check still waits for them (a half-built cache is never
# used: image.sh marks it done last). One after the other: both at once
# would take a CPU from the steps in front. make check-fast: the same
# without the system tests.
check: deps
	$(MAKE) all static
	@mkdir -p $(B)/system-logs; \
	  for s in bookworm trixie; do \
	    tests/system/image.sh $$s >$(B)/system-logs/image-$$s.log 2>&1 || echo $$s; \
	  done >$(B)/system-logs/image.failed & img=$$!; \
	  $(MAKE) check-steps; rc=$$?; \
	  wait $$img; \
	  for s in $$(cat $(B)/system-logs/image.failed); do \
	    echo "tests/system/image.sh $$s failed ($(B)/system-logs/image-$$s.log):"; \
	    tail -n 30 $(B)/system-logs/image-$$s.log; rc=1; \
	  done; \
	  exit $$rc
	$(MAKE) check-system

check-fast: deps
	$(MAKE) all static
	$(MAKE) check-steps

check-steps:
	$(MAKE) check-clang check-unit check-asan
	$(MAKE) check-fuzz check-valgrind lint
	$(MAKE) check-guest

demo: deps $(B)/static/kexec
	@KEXEC_BIN=$(B)/static/kexec tests/guest/demo.sh

install: $(B)/kexec $(B)/vmcore-dmesg
	install -D -m 0755 $(B)/kexec $(DESTDIR)$(SBINDIR)/kexec
	install -D -m 0755 $(B)/vmcore-dmesg $(DESTDIR)$(SBINDIR)/vmcore-dmesg
	install -D -m 0644 docs/kexec.8 $(DESTDIR)$(MANDIR)/man8/kexec.8
	install -D -m 0644 docs/vmcore-dmesg.8 $(DESTDIR)$(MANDIR)/man8/vmcore-dmesg.8

clean:
	rm -rf $(B)/kexec $(B)/static $(B)/test $(B)/unit $(B)/asan $(B)/purgatory

# ---- warmboot: the policy front end (issue 5) ------------------------------
# build/warmboot, build/static/warmboot, its unit tests (linked with its CLI
# files, which the kexec binary does not have), install with its man page and
# bash completions. Everything of the warmboot command is in this block.
WB_CLI_SRC   := src/cli/warmboot.c src/cli/warmboot_options.c
# The tests that drive the warmboot command itself.
WB_CLI_TESTS := test_warmboot_cli
COMPLETIONSDIR ?= $(PREFIX)/share/bash-completion/completions

all: $(B)/warmboot
static: $(B)/static/warmboot

$(B)/warmboot: $(LIB_SRC) $(LIB_ASM) $(WB_CLI_SRC) $(HDRS) $(PURGATORY) | $(B)
	$(CC) $(ALL_CFLAGS) $(BLOB_DEF) -o $@ $(LIB_SRC) $(LIB_ASM) $(WB_CLI_SRC)

$(B)/static/warmboot: $(LIB_SRC) $(LIB_ASM) $(WB_CLI_SRC) $(HDRS) $(PURGATORY)
	@mkdir -p $(dir $@)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -I. -Os -static $(BLOB_DEF) \
	  -idirafter /usr/include -idirafter /usr/include/x86_64-linux-gnu \
	  -o $@ $(LIB_SRC) $(LIB_ASM) $(WB_CLI_SRC)
	strip $@

# The tests of the warmboot command link the same archive as the others
# (src/cli/warmboot*.c are in it, built without main()).

.PHONY: check-clang-warmboot install-warmboot clean-warmboot
check-clang: check-clang-warmboot
check-clang-warmboot:
	$(CLANG) $(ALL_CFLAGS) -fsyntax-only $(WB_CLI_SRC)

install: install-warmboot
install-warmboot: $(B)/warmboot
	install -D -m 0755 $(B)/warmboot $(DESTDIR)$(SBINDIR)/warmboot
	install -D -m 0644 docs/warmboot.8 $(DESTDIR)$(MANDIR)/man8/warmboot.8
	install -D -m 0644 integration/bash-completion/warmboot $(DESTDIR)$(COMPLETIONSDIR)/warmboot
	install -D -m 0644 integration/bash-completion/kexec $(DESTDIR)$(COMPLETIONSDIR)/kexec

clean: clean-warmboot
clean-warmboot:
	rm -f $(B)/warmboot
# ---- end of warmboot -------------------------------------------------------

# ---- init-system integration and system tests (issue 5) --------------------
# make install also installs the systemd units, the sysvinit scripts, the
# kernel hooks and /etc/warmboot.conf (only if absent); DESTDIR-aware. With
# DESTDIR empty it wires the sysvinit scripts (update-rc.d) and reloads
# systemd. make install-static: make install, then the static musl builds
# (build/static/*) over the installed binaries (for guests and initramfs).
# make image: the cached Debian 12 guests; make check-system: the system
# tests in them (tests/system/, QEMU only: nothing is installed into this
# machine's / and nothing reboots it).
SYSTEMDUNITDIR ?= /lib/systemd/system
INITDIR        ?= /etc/init.d
SYSCONFDIR     ?= /etc
LIBEXECDIR     ?= $(PREFIX)/lib/warmboot
WB_SUBST = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g'

.PHONY: install-integration install-static image check-system

install: install-integration
install-integration:
	install -d $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SYSTEMDUNITDIR)/systemd-reboot.service.d \
	  $(DESTDIR)$(SYSTEMDUNITDIR)/multi-user.target.wants $(DESTDIR)$(INITDIR) \
	  $(DESTDIR)$(SYSCONFDIR)/kernel/postinst.d $(DESTDIR)$(SYSCONFDIR)/kernel/postrm.d
	$(WB_SUBST) integration/warmboot-shutdown >$(DESTDIR)$(LIBEXECDIR)/warmboot-shutdown
	chmod 0755 $(DESTDIR)$(LIBEXECDIR)/warmboot-shutdown
	$(WB_SUBST) integration/systemd/warmboot-load.service >$(DESTDIR)$(SYSTEMDUNITDIR)/warmboot-load.service
	$(WB_SUBST) integration/systemd/systemd-reboot.service.d/warmboot.conf \
	  >$(DESTDIR)$(SYSTEMDUNITDIR)/systemd-reboot.service.d/warmboot.conf
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/warmboot-load.service \
	  $(DESTDIR)$(SYSTEMDUNITDIR)/systemd-reboot.service.d/warmboot.conf
	# Always wired: whether a reboot kexecs is /etc/warmboot.conf's ENABLED.
	ln -sf ../warmboot-load.service $(DESTDIR)$(SYSTEMDUNITDIR)/multi-user.target.wants/warmboot-load.service
	# Under systemd the sysvinit kexec step must never run (it would kexec mid-shutdown).
	ln -sf /dev/null $(DESTDIR)$(SYSTEMDUNITDIR)/warmboot-kexec.service
	for f in warmboot-load warmboot-kexec; do \
	  $(WB_SUBST) integration/sysvinit/$$f >$(DESTDIR)$(INITDIR)/$$f && chmod 0755 $(DESTDIR)$(INITDIR)/$$f || exit 1; done
	for d in postinst.d postrm.d; do \
	  $(WB_SUBST) integration/kernel/$$d-zz-warmboot >$(DESTDIR)$(SYSCONFDIR)/kernel/$$d/zz-warmboot && \
	  chmod 0755 $(DESTDIR)$(SYSCONFDIR)/kernel/$$d/zz-warmboot || exit 1; done
	test -e $(DESTDIR)$(SYSCONFDIR)/warmboot.conf || \
	  install -m 0644 integration/warmboot.conf $(DESTDIR)$(SYSCONFDIR)/warmboot.conf
	@if [ -z "$(DESTDIR)" ]; then \
	  if [ -d /run/systemd/system ]; then systemctl daemon-reload; \
	  elif [ -d /etc/rc6.d ] && command -v update-rc.d >/dev/null; then \
	    update-rc.d warmboot-load defaults && update-rc.d warmboot-kexec defaults; fi; fi

install-static: static
	$(MAKE) install
	for b in kexec vmcore-dmesg warmboot; do \
	  if [ -x $(B)/static/$$b ]; then install -m 0755 $(B)/static/$$b $(DESTDIR)$(SBINDIR)/$$b || exit 1; fi; done

image:
	@tests/system/image.sh bookworm
	@tests/system/image.sh trixie

check-system: static
	@tests/system/run.sh
# ---- end of issue 5 integration --------------------------------------------

# ---- performance: benchmarks against kexec-tools (issue 8) ------------------
# make bench: Debian's kexec-tools and warmboot in the same QEMU guest (TCG),
# same kernel and initrds: load time (-s, -c; 10/30/100/300 MB initrds), exec
# latency (-s, -c, -c -i, --verify=sha256), reboot time (SeaBIOS, OVMF, kexec),
# footprint. Prints the table, writes bench/results.json and
# build/bench/load.png (docs/performance.md). Not part of make check.
# The static builds keep only what is used (WB_STATIC_SIZE: used by the
# static rules above, expanded when they run).
WB_STATIC_SIZE := -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -Wl,--gc-sections
BENCH_BINS := $(B)/bench/wbtime $(B)/bench/hashspeed

$(B)/bench/wbtime: bench/wbtime.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE $(WARN) -Os -static $(WB_STATIC_SIZE) -o $@ $<
	strip $@

$(B)/bench/hashspeed: bench/hashspeed.c purgatory/crc32c.c purgatory/sha256.c $(wildcard purgatory/*.h)
	@mkdir -p $(dir $@)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE $(WARN) -I. -O2 -static -o $@ bench/hashspeed.c purgatory/crc32c.c purgatory/sha256.c
	strip $@

.PHONY: bench bench-deps clean-bench
bench-deps:
	@bench/deps.sh

bench: deps bench-deps
	$(MAKE) $(B)/static/kexec $(BENCH_BINS)
	@KEXEC_BIN=$(B)/static/kexec bench/run.sh

clean: clean-bench
clean-bench:
	rm -rf $(B)/bench
# ---- end of issue 8 ----------------------------------------------------------
