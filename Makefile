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
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude $(CFLAGS)

LIB_SRC := $(sort $(wildcard src/lib/*.c src/lib/image/*.c src/lib/x86/*.c))
CLI_SRC := src/cli/kexec.c src/cli/options.c
HDRS    := $(wildcard include/warmboot/*.h src/lib/*.h src/lib/*/*.h src/cli/*.h)

# Unit tests: one cmocka program per tests/unit/test_*.c; CLI code built without main().
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
TEST_HELP := $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c))
TEST_DEPS := $(LIB_SRC) $(CLI_SRC) $(TEST_HELP)

.PHONY: all static check check-unit check-asan check-clang check-guest demo deps install clean

all: $(B)/kexec

# One compile of everything: the library, the CLI, its main.
$(B)/kexec: $(LIB_SRC) $(CLI_SRC) $(HDRS) | $(B)
	$(CC) $(ALL_CFLAGS) -o $@ $(LIB_SRC) $(CLI_SRC)

# Fully static for the guests' initramfs; musl-gcc sees the kernel UAPI headers this way.
$(B)/static/kexec: $(LIB_SRC) $(CLI_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -Os -static \
	  -idirafter /usr/include -idirafter /usr/include/x86_64-linux-gnu \
	  -o $@ $(LIB_SRC) $(CLI_SRC)
	strip $@

static: $(B)/static/kexec

$(B):
	@mkdir -p $@

# $(1): output folder, $(2): compiler, $(3): extra flags
define unit_tests
$(1)/%: tests/unit/%.c $(TEST_DEPS) $(HDRS)
	@mkdir -p $(1)
	$(2) $(ALL_CFLAGS) $(3) -DWB_NO_MAIN -Isrc -Itests/unit -o $$@ $$< $(TEST_HELP) $(LIB_SRC) $(CLI_SRC) -lcmocka
endef

$(eval $(call unit_tests,$(B)/unit,$(CC),))
$(eval $(call unit_tests,$(B)/asan,$(CLANG),-O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer))

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

check-guest: $(B)/static/kexec
	@KEXEC_BIN=$(B)/static/kexec tests/guest/run.sh

check: deps
	$(MAKE) all static
	$(MAKE) check-clang check-unit check-asan
	$(MAKE) check-guest

demo: deps $(B)/static/kexec
	@KEXEC_BIN=$(B)/static/kexec tests/guest/demo.sh

install: $(B)/kexec
	install -D -m 0755 $(B)/kexec $(DESTDIR)$(SBINDIR)/kexec
	install -D -m 0644 docs/kexec.8 $(DESTDIR)$(MANDIR)/man8/kexec.8

clean:
	rm -rf $(B)/kexec $(B)/static $(B)/unit $(B)/asan
